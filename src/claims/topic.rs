//! A claim's topic, for reports that group election falsehoods the way
//! transparency reports do ("voting machines", "voter documents"...).
//!
//! The partner's word comes first: a `topic` field, else its ClaimReview
//! `keywords` when they name one of the topics below. Otherwise the
//! service assigns one from the claim's text with cue words in the
//! partners' languages (pt, es, id, en, fr), folded (no case, no accents)
//! and matched at word starts, so "urnas" and "urna" both count. A topic
//! a partner writes that is not in the taxonomy is kept as written: some
//! partners have their own.
//!
//! The cue lists were written for this project from the vocabulary of
//! election fact-checks; they decide between the topics, they do not
//! judge whether a claim is about elections (a claim with no cue is
//! `other`).

use crate::text::fold;

/// The fixed taxonomy, in the order ties are broken.
pub const TOPICS: [&str; 8] = [
    "voting_machines",
    "vote_buying",
    "voting_dates_places",
    "voter_documents",
    "electoral_authorities",
    "results",
    "candidates",
    "other",
];

/// Each topic's name in the report languages: English, Portuguese,
/// Spanish, Indonesian.
const LABELS: [(&str, [&str; 4]); 8] = [
    (
        "voting_machines",
        [
            "Voting machines and counting",
            "Urnas e apuração",
            "Máquinas de votación y conteo",
            "Mesin pemungutan dan penghitungan suara",
        ],
    ),
    (
        "voting_dates_places",
        [
            "Voting dates, hours and places",
            "Datas, horários e locais de votação",
            "Fechas, horarios y lugares de votación",
            "Jadwal, jam dan tempat pemungutan suara",
        ],
    ),
    (
        "voter_documents",
        [
            "Voter documents and registration",
            "Documentos e cadastro do eleitor",
            "Documentos y registro de electores",
            "Dokumen dan pendaftaran pemilih",
        ],
    ),
    (
        "vote_buying",
        [
            "Vote buying",
            "Compra de votos",
            "Compra de votos",
            "Politik uang",
        ],
    ),
    (
        "electoral_authorities",
        [
            "Electoral authorities",
            "Autoridades eleitorais",
            "Autoridades electorales",
            "Penyelenggara pemilu",
        ],
    ),
    (
        "results",
        ["Results", "Resultados", "Resultados", "Hasil pemilu"],
    ),
    (
        "candidates",
        ["Candidates", "Candidatos", "Candidatos", "Kandidat"],
    ),
    ("other", ["Other", "Outros", "Otros", "Lainnya"]),
];

/// Returns a topic's name in language `index` of the report languages
/// (0 English, 1 Portuguese, 2 Spanish, 3 Indonesian); a partner's own
/// topic as written.
pub fn label(topic: &str, index: usize) -> &str {
    LABELS
        .iter()
        .find(|(id, _)| *id == topic)
        .map_or(topic, |(_, names)| names[index.min(3)])
}

/// Longest partner-written topic kept (characters).
const MAX_TOPIC_CHARS: usize = 64;

/// Cue words or phrases per topic, folded. A cue matches where a word of
/// the text starts with the cue's first word and the next words follow;
/// a cue ending in `$` must match a whole word ("tse$" is not "tsetse").
/// Weight 2 for cues that name the topic outright, 1 for supporting ones.
const CUES: [(&str, &[(&str, u8)]); 7] = [
    (
        "voting_machines",
        &[
            ("urna", 2),
            ("maquina de votar", 2),
            ("maquina de votacion", 2),
            ("maquinas de votacion", 2),
            ("voting machine", 2),
            ("ballot", 2),
            ("boleta", 2),
            ("voto impresso", 2),
            ("voto electronico", 2),
            ("e-voting", 2),
            ("evm$", 2),
            ("dominion", 2),
            ("smartmatic", 2),
            ("tabulat", 2),
            ("sirekap", 2),
            ("surat suara", 2),
            ("kotak suara", 2),
            ("mesin", 1),
            ("software", 1),
            ("codigo fonte", 1),
            ("hacke", 1),
            ("hacker", 1),
            ("contagem", 1),
            ("conteo", 1),
            ("recuento", 1),
            ("escrutinio", 1),
            ("apuracao", 1),
            ("penghitungan", 1),
            ("recount", 1),
            ("count", 1),
            ("mail-in", 2),
            ("machine a voter", 2),
            ("bulletin", 1),
        ],
    ),
    (
        "vote_buying",
        &[
            ("compra de voto", 2),
            ("compra de votos", 2),
            ("comprando voto", 2),
            ("compran voto", 2),
            ("vende", 1),
            ("pago por votar", 2),
            ("pagos por votar", 2),
            ("paid to vote", 2),
            ("buying votes", 2),
            ("vote buying", 2),
            ("bribe", 2),
            ("politik uang", 2),
            ("serangan fajar", 2),
            ("sembako", 2),
            ("amplop", 2),
            ("cesta basica", 2),
            ("despensa", 2),
            ("dinheiro", 1),
            ("dinero", 1),
            ("money", 1),
            ("uang", 1),
            ("achat de voix", 2),
        ],
    ),
    (
        "voting_dates_places",
        &[
            ("data da eleicao", 2),
            ("dia da eleicao", 2),
            ("fecha de la eleccion", 2),
            ("dia de la eleccion", 2),
            ("election day", 2),
            ("polling station", 2),
            ("polling place", 2),
            ("local de votacao", 2),
            ("secao eleitoral", 2),
            ("zona eleitoral", 2),
            ("casilla", 2),
            ("centro de votacion", 2),
            ("mesa de votacion", 2),
            ("puesto de votacion", 2),
            ("bureau de vote", 2),
            ("tps$", 2),
            ("jadwal", 2),
            ("tanggal", 1),
            ("diundur", 2),
            ("adiad", 2),
            ("aplazad", 2),
            ("pospuest", 2),
            ("postponed", 2),
            ("horario", 1),
            ("hora", 1),
            ("fila", 1),
            ("segundo dia", 1),
            ("dois dias", 1),
            ("dos dias", 1),
            ("domingo", 1),
            ("date", 1),
            ("hours", 1),
            ("vote by text", 2),
            ("votar por", 1),
            ("pelo celular", 1),
            ("por internet", 1),
            ("whatsapp", 1),
        ],
    ),
    (
        "voter_documents",
        &[
            ("titulo de eleitor", 2),
            ("titulo eleitoral", 2),
            ("e-titulo", 2),
            ("biometria", 2),
            ("cadastro", 1),
            ("documento", 1),
            ("identidade", 1),
            ("cpf$", 2),
            ("credencial para votar", 2),
            ("credencial de elector", 2),
            ("credencial del ine", 2),
            ("padron", 2),
            ("cedula de ciudadania", 2),
            ("dni$", 2),
            ("ktp$", 2),
            ("e-ktp", 2),
            ("dpt$", 2),
            ("daftar pemilih", 2),
            ("voter id", 2),
            ("voter registration", 2),
            ("voter roll", 2),
            ("registrat", 1),
            ("register", 1),
            ("inscri", 1),
            ("carte electorale", 2),
            ("liste electorale", 2),
            ("piece d'identite", 2),
        ],
    ),
    (
        "electoral_authorities",
        &[
            ("tse$", 2),
            ("tre$", 2),
            ("tribunal superior eleitoral", 2),
            ("justica eleitoral", 2),
            ("ine$", 2),
            ("instituto nacional electoral", 2),
            ("cne$", 2),
            ("consejo nacional electoral", 2),
            ("registraduria", 2),
            ("camara nacional electoral", 2),
            ("kpu$", 2),
            ("bawaslu", 2),
            ("komisi pemilihan", 2),
            ("election commission", 2),
            ("electoral commission", 2),
            ("election official", 2),
            ("poll worker", 2),
            ("mesario", 2),
            ("fiscal", 1),
            ("moraes", 1),
            ("ministro", 1),
            ("autoridad electoral", 2),
            ("autoridade eleitoral", 2),
            ("tribunal", 1),
            ("conseil constitutionnel", 2),
        ],
    ),
    (
        "results",
        &[
            ("resultado", 2),
            ("results", 2),
            ("result", 1),
            ("hasil", 2),
            ("resultat", 2),
            ("venceu", 2),
            ("vencedor", 2),
            ("ganhou", 2),
            ("gano", 2),
            ("ganador", 2),
            ("won", 2),
            ("winner", 2),
            ("menang", 2),
            ("landslide", 2),
            ("quick count", 2),
            ("exit poll", 2),
            ("hitung cepat", 2),
            ("derrota", 1),
            ("perdeu", 1),
            ("perdio", 1),
            ("lost", 1),
            ("vitoria", 2),
            ("victoria", 2),
            ("votos a mais", 1),
            ("mais votos", 1),
            ("mas votos", 1),
            ("more votes", 1),
            ("segundo turno", 1),
            ("segunda vuelta", 1),
        ],
    ),
    (
        "candidates",
        &[
            ("candidat", 1),
            ("capres", 2),
            ("cawapres", 2),
            ("calon", 1),
            ("presidente", 1),
            ("president", 1),
            ("prefeito", 1),
            ("governador", 1),
            ("gobernador", 1),
            ("alcalde", 1),
            ("senador", 1),
            ("deputad", 1),
            ("diputad", 1),
            ("partido", 1),
            ("partai", 1),
            ("renunci", 1),
            ("desist", 1),
            ("lula", 1),
            ("bolsonaro", 1),
            ("sheinbaum", 1),
            ("xochitl", 1),
            ("milei", 1),
            ("petro", 1),
            ("prabowo", 1),
            ("anies", 1),
            ("ganjar", 1),
            ("trump", 1),
            ("biden", 1),
            ("harris", 1),
        ],
    ),
];

/// Returns the topic to keep with a claim: the partner's `topic` (a
/// taxonomy topic when it names one in any of the report's languages,
/// else as written), else the topic its `keywords` name, else the one its
/// `text` suggests. Also says whether the partner's data decided it.
pub fn settle(given: &str, keywords: &[String], text: &str) -> (String, bool) {
    let given = crate::text::squash_whitespace(given);
    if !given.is_empty() {
        let topic = named(&given).map_or_else(
            || crate::text::truncate_chars(&given, MAX_TOPIC_CHARS),
            str::to_string,
        );
        return (topic, true);
    }
    if !keywords.is_empty() {
        let joined = keywords.join(" ; ");
        if let Some(topic) = named(&joined).or_else(|| assigned(&joined)) {
            return (topic.to_string(), true);
        }
    }
    (assigned(text).unwrap_or("other").to_string(), false)
}

/// Returns `topic`, or for a claim loaded before topics existed (none
/// stored) the one its text suggests.
pub fn or_assigned(topic: &str, text: &str) -> String {
    if topic.is_empty() {
        assigned(text).unwrap_or("other").to_string()
    } else {
        topic.to_string()
    }
}

/// Returns the taxonomy topic `name` names: its id ("voter_documents",
/// "voter documents") or its label in a report language.
pub fn named(name: &str) -> Option<&'static str> {
    let folded = fold(name).replace(['_', '-'], " ");
    let folded = folded.trim();
    TOPICS.into_iter().find(|topic| {
        topic.replace('_', " ") == folded || (0..4).any(|i| fold(label(topic, i)) == folded)
    })
}

/// Returns the topic the cues of `text` point to, if any.
pub fn assigned(text: &str) -> Option<&'static str> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(&'static str, u32)> = None;
    for (topic, cues) in CUES {
        let score: u32 = cues
            .iter()
            .map(|(cue, weight)| u32::from(*weight) * occurrences(&words, cue))
            .sum();
        // Ties keep the earlier topic: the taxonomy's order.
        if score > 0 && best.is_none_or(|(_, top)| score > top) {
            best = Some((topic, score));
        }
    }
    best.map(|(topic, _)| topic)
}

/// How often `cue` occurs in `words` (capped at 2: one claim repeating a
/// word is not twice the evidence).
fn occurrences(words: &[&str], cue: &str) -> u32 {
    let (cue, whole) = match cue.strip_suffix('$') {
        Some(cue) => (cue, true),
        None => (cue, false),
    };
    let parts: Vec<&str> = cue.split(' ').collect();
    let last = parts.len() - 1;
    let mut found = 0;
    for start in 0..words.len() {
        if start + parts.len() > words.len() {
            break;
        }
        let matches = parts.iter().enumerate().all(|(i, part)| {
            let word = words[start + i];
            // Inner words of a phrase match whole; the last may be a stem.
            if i < last || whole {
                word == *part
            } else {
                word.starts_with(part)
            }
        });
        if matches {
            found += 1;
        }
    }
    found.min(2)
}

#[cfg(test)]
mod tests;
