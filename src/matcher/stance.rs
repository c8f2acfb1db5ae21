//! Stance: whether content that matches a claim repeats it, refutes it, or
//! leaves it unclear, and the words that decided.
//!
//! Platforms promote counter-speech: a fact-checker's video or a creator
//! saying "é mentira que as urnas..." uses the claim's own words, and must
//! not be counted or acted on as a video spreading it. The cues are
//! phrases people use to call something false or to doubt it, in the
//! partners' languages, matched on folded words (lower case, no accents);
//! a word ending in `*` stands for every word it starts ("desment*":
//! "desmentiu", "desmentido"). A cue that is also in the claim's own text
//! says nothing (a claim about "votos falsos" is not refuted by repeating
//! it).
//!
//! A picture or recording said to be doctored ("a imagem foi manipulada",
//! "gambar rekayasa") refutes: the doctoring word alone would not, as
//! "os votos foram manipulados" is a fraud claim's own wording.
//!
//! A cue taken back says nothing: denied ("não é mentira", "bukan hoaks"),
//! reported and then contradicted ("dicen que es falso pero..."), or
//! aimed at the press ("não acredite na Globo").
//! In the claim's own language (pt, es, id), a sentence that denies a word
//! the claim states refutes it too ("as urnas de Manaus não têm chip").
//!
//! A video rarely puts its verdict in the sentence that retells the claim:
//! "Dizem que as urnas de Manaus têm chip. Isso é mentira." So in a short
//! video the sentences next to the span are read too (`AROUND` on each
//! side), except those that say another matched claim: their cues are
//! that claim's. docs/matching.md has what each rule measured.

use crate::text::fold;
pub use crate::vocab::Stance;

/// Sentences read on each side of a match's span in a short video.
pub const AROUND: usize = 2;

/// Phrases that call a claim false, folded, in Portuguese, Spanish,
/// Indonesian, English and French.
const REFUTING: &[&str] = &[
    // pt
    "e mentira",
    "mentira",
    "e falso",
    "falso",
    "nao e verdade",
    "nao e bem assim",
    "e fake",
    "boato",
    "montagem",
    "e golpe",
    "nao caiam",
    "nao caia",
    "nao acredite",
    "nao acreditem",
    "nao compartilhe",
    "nao repassa",
    "nao repasse",
    "para de espalhar",
    "parem de espalhar",
    "desmentido",
    "inventaram",
    "inventado",
    "inventada",
    "kkkk",
    "o povo acreditando",
    "gente acreditando",
    "nada disso",
    "nao existe",
    "checado",
    "checada",
    "nao tem nada a ver",
    "teoria da conspiracao",
    // pt, the words of fact-checkers' verdicts and denials (written for
    // this project from how Brazilian checks and creators word them)
    "falsos",
    "falsas",
    "boatos",
    "mentiras",
    "mentiroso",
    "mentirosa",
    "desinformacao",
    "enganoso",
    "enganosa",
    "inveridic*",
    "desment*",
    "nunca aconteceu",
    "nao aconteceu",
    "nao procede",
    "sem fundamento",
    "sem comprovacao",
    "sem evidencia*",
    "nao ha prova*",
    "nao ha evidencia*",
    "nenhuma prova",
    "nenhuma evidencia",
    "sem pe nem cabeca",
    "cai por terra",
    "e fabricad*",
    "distorcid*",
    "e satira",
    "e uma parodia",
    "perfil de humor",
    "mais uma fake",
    "outra fake",
    "essa fake",
    // an authority's denial, reported ("o TSE negou que...")
    "negou que",
    "nega que",
    "negaram que",
    "negam que",
    "infundad*",
    "fora de contexto",
    "nao e real",
    "checamos",
    "checagem",
    "mentirada",
    "lorota",
    "invencao",
    "tirad* do contexto",
    "tirad* de contexto",
    "fora do contexto",
    "para de mandar",
    "parem de mandar",
    "para de compartilhar",
    "parem de compartilhar",
    // a recycled picture is a debunk's word, rarely a spreader's
    "video antigo",
    "foto antiga",
    // pt, what people call a tall story (written here from common speech)
    "papo furado",
    "conversa fiada",
    "conversa pra boi dormir",
    "conversa para boi dormir",
    "balela",
    "balelas",
    "lorotas",
    // es
    "es falso",
    "es mentira",
    "no es cierto",
    "no es verdad",
    "falsa",
    "bulo",
    "montaje",
    "es fake",
    "no se crean",
    "no crean",
    "no le crean",
    "no les crean",
    "no lo crean",
    "no caigan",
    "no compartan",
    "dejen de compartir",
    "inventaron",
    "inventado",
    "jaja",
    "ni al caso",
    "puro cuento",
    "no existe",
    "invento",
    "no tiene nada que ver",
    "teoria de la conspiracion",
    // es, verdicts and denials
    "falsos",
    "falsas",
    "falsedad",
    "bulos",
    "mentiras",
    "mentiroso",
    "mentirosa",
    "desinformacion",
    "enganoso",
    "enganosa",
    "desmint*",
    "desment*",
    "nunca paso",
    "nunca ocurrio",
    "nunca sucedio",
    "eso no paso",
    "no es real",
    "sin fundamento",
    "sin sustento",
    "sin evidencia*",
    "no hay prueba*",
    "no hay evidencia*",
    "ninguna prueba",
    "ninguna evidencia",
    "es fabricad*",
    "distorsionad*",
    "tergiversad*",
    "es una parodia",
    "es parodia",
    "es satira",
    "cuenta satirica",
    "es un mito",
    "leyenda urbana",
    "nego que",
    "niega que",
    "negaron que",
    "niegan que",
    "infundad*",
    "fuera de contexto",
    "sacado de contexto",
    "verificamos",
    "trucha",
    "vender humo",
    "vendan humo",
    "no se dejen enganar",
    "no te dejes enganar",
    "dejen de mandar",
    "video viejo",
    // es, what people call a tall story in Mexico ("es puro choro"),
    // Colombia ("pura carreta", "no coman cuento") and Argentina ("es
    // verso", "chamuyo")
    "cuento chino",
    "cuentos chinos",
    "patrana",
    "patranas",
    "embuste",
    // not "puro choro" alone: in Portuguese "é puro choro" is "just
    // whining", how those who spread a claim taunt the other side
    "es puro choro",
    "son puro choro",
    "es choro",
    "pura carreta",
    "es carreta",
    "pura paja",
    "no coman cuento",
    "no se coman el cuento",
    "no se coman ese cuento",
    "es verso",
    "puro verso",
    "chamuyo",
    "de eso nada",
    // id
    "hoaks",
    "tidak benar",
    "gak bener",
    "nggak bener",
    "ga bener",
    "gak benar",
    "nggak benar",
    "enggak benar",
    "ga benar",
    "tidak betul",
    "gak betul",
    "nggak betul",
    "bohong",
    "jangan percaya",
    "jangan asal sebar",
    "jangan sebar",
    "editan",
    "fitnah",
    "wkwk",
    "ngakak",
    "gak ada",
    "tidak ada",
    "cek dulu",
    "klarifikasi",
    "dikoreksi",
    "salah baca",
    "salah kaprah",
    "teori konspirasi",
    // id, verdicts and denials ("hoax" alone is English spreaders' word too)
    "itu hoax",
    "berita palsu",
    "kabar palsu",
    "informasi palsu",
    "keliru",
    "disinformasi",
    "misinformasi",
    "menyesatkan",
    "membantah",
    "dibantah",
    "bantahan",
    "diklarifikasi",
    "tidak terbukti",
    "cek fakta",
    "suntingan",
    "narasi salah",
    "meluruskan",
    "diluruskan",
    "jangan disebar",
    "jangan termakan",
    "jangan mudah percaya",
    "jangan gampang percaya",
    "adalah hoax",
    "adalah hoaks",
    "cuma isu",
    "hanya isu",
    "isu belaka",
    "salah paham",
    "dipelintir",
    "diplintir",
    "konten palsu",
    "konteks yang salah",
    "tidak terbukti benar",
    "video lama",
    "foto lama",
    // id, what people call a tall story; "kabar burung" (hearsay) and
    // "ngarang" (to make up) only as a verdict, as "ada kabar burung
    // bahwa..." passes a rumour on and "KPU ngarang angka" accuses
    "omong kosong",
    "isapan jempol",
    "cuma kabar burung",
    "hanya kabar burung",
    "itu kabar burung",
    "ngarang aja",
    "ngarang doang",
    "asal ngarang",
    "jangan ngarang",
    "ngarang bebas",
    "mengada-ada",
    "ngada-ngada",
    // pictures and voices made by a program: a debunk's words (those who
    // spread a claim say a fraud was done "com inteligência artificial",
    // not that the proof was made with it)
    "feit* com inteligencia artificial",
    "feit* por inteligencia artificial",
    "gerad* por inteligencia artificial",
    "gerad* com inteligencia artificial",
    "criad* com inteligencia artificial",
    "feit* com ia",
    "gerad* por ia",
    "hech* con inteligencia artificial",
    "generad* con inteligencia artificial",
    "generad* por inteligencia artificial",
    "cread* con inteligencia artificial",
    "hech* con ia",
    "generad* con ia",
    "dibuat dengan ai",
    "dibuat pakai ai",
    "buatan ai",
    "deepfake",
    // en: phrases, not words: those who spread a claim say "fake news",
    // "false flag" and "hoax" too (4 % of the Snopes train tweets beside
    // their claim read as refutations with the bare words)
    "not true",
    "is false",
    "it's false",
    "that's false",
    "false claim",
    "debunked",
    "no evidence",
    "don't believe",
    "do not believe",
    "didn't happen",
    "is a lie",
    "is fake",
    "it's fake",
    "that's fake",
    "fact check",
    "fact-check",
    "myth",
    "misleading",
    // fr
    "faux",
    "fausse",
    "intox",
    "infox",
    "pas vrai",
    "rumeur",
    "desinformation",
    "trompeur",
    "trompeuse",
];

/// Phrases that pass a claim on while doubting it.
const DOUBTING: &[&str] = &[
    "nao sei se e verdade",
    "sera que",
    "se for verdade",
    "alguem sabe se",
    "no se si sea cierto",
    "no se si es cierto",
    "sera cierto",
    "quien sabe si",
    "ini beneran",
    "beneran gak",
    "bener gak",
    "bener nggak",
    "not sure if",
    "is this true",
    "can anyone confirm",
    "je ne sais pas si",
];

/// Returns the stance of `text` (the words of the content that match) on
/// a claim, and the cue phrases that decided it (none for `Repeats`).
pub fn stance(text: &str, claim_text: &str) -> (Stance, Vec<String>) {
    stance_around(&[text], claim_text, None)
}

/// Returns the stance of `sentences` on a claim: the sentences that say
/// it and those read around them (see the module's note), each read on
/// its own so that no cue runs across two. With `language`, the language
/// of both the content and the claim, a sentence that denies a word the
/// claim states ("as urnas de Manaus não têm chip") refutes it too.
pub fn stance_around(
    sentences: &[&str],
    claim_text: &str,
    language: Option<&str>,
) -> (Stance, Vec<String>) {
    let unanswered = without_answered_reports(sentences, claim_text, language);
    let read: Vec<&str> = match &unanswered {
        Some(kept) => kept.iter().map(String::as_str).collect(),
        None => sentences.to_vec(),
    };
    let sentences = read.as_slice();
    let mut refuting = cues_in(sentences, claim_text, REFUTING);
    if let Some(language) = language {
        refuting.retain(|cue| {
            !NONE_THERE.contains(&cue.as_str())
                || !none_of_what_it_takes(sentences, claim_text, language, cue)
        });
    }
    refuting.extend(doctored(sentences, claim_text));
    refuting.extend(answered_no(sentences, claim_text));
    refuting.extend(dated(sentences, claim_text));
    refuting.extend(corrected(sentences, claim_text));
    refuting.extend(liars_named(sentences));
    refuting.extend(labelled(sentences));
    if !refuting.is_empty() {
        return (Stance::Refutes, refuting);
    }
    if let Some(language) = language.filter(|language| !negators_of(language).is_empty()) {
        let read = Parsed::new(sentences, claim_text, language);
        let denials = denials_in(&read, language);
        if !denials.is_empty() {
            return (Stance::Refutes, denials);
        }
        let answered = answered_in_kind(&read, language);
        if !answered.is_empty() {
            return (Stance::Refutes, answered);
        }
    }
    let doubting = cues_in(sentences, claim_text, DOUBTING);
    if !doubting.is_empty() {
        return (Stance::Unclear, doubting);
    }
    (Stance::Repeats, Vec::new())
}

/// Cues of `REFUTING` that say there is none of something: a refutation,
/// unless what there is none of is what the claim takes away
/// (`none_of_what_it_takes`).
const NONE_THERE: &[&str] = &["nao existe", "no existe", "tidak ada", "gak ada"];

/// Verdicts that refute only as a label before what they judge, folded:
/// "FAKE: ...", "Fake! ...", "[SALAH] ..." (Indonesian checkers' label;
/// cleaning drops the brackets), "... Fake.", "Ngarang!" Elsewhere they
/// are other words: "fake news" is what those who spread a claim call the
/// press, "salah satu" is "one of", "KPU ngarang angka" an accusation.
const LABELS: &[&str] = &["fake", "salah", "ngarang"];

/// The label (`LABELS`) a sentence or a part of one opens with, given as
/// the word and a colon: the part's first word followed by a mark, or
/// written in capitals before a word that is not ("SALAH Ratusan TKA
/// ...", not an all-capitals "SALAH SATU CALON").
fn labelled(sentences: &[&str]) -> Vec<String> {
    let parts = sentences
        .iter()
        .flat_map(|sentence| sentence_parts(sentence));
    for part in parts {
        let mut said = part.split_whitespace();
        let Some(first) = said.next() else {
            continue;
        };
        let word = first.trim_end_matches([':', '!', '|', '.', '-']);
        let folded = fold(word);
        if !LABELS.contains(&folded.as_str()) {
            continue;
        }
        let next = said.next();
        let marked =
            word.len() < first.len() || next.is_some_and(|n| n.starts_with([':', '|', '-', '–']));
        let capitals = word.chars().all(char::is_uppercase)
            && next.is_some_and(|n| n.chars().any(char::is_lowercase));
        if marked || capitals {
            return vec![format!("{folded}:")];
        }
    }
    Vec::new()
}

/// Words that report what someone says, for `without_answered_reports`:
/// verbs of saying, not of denying ("o TSE negou que..." is a check's
/// report).
const SAYING: &[&str] = &[
    "diz",
    "dizem",
    "disse",
    "disseram",
    "fala",
    "falam",
    "falou",
    "falaram",
    "afirma",
    "afirmam",
    "afirmou",
    "garante",
    "garantem",
    "garantiu",
    "dice",
    "dicen",
    "dijo",
    "dijeron",
    "asegura",
    "aseguran",
    "aseguro",
    "katanya",
    "bilang",
    "mengatakan",
    "menyatakan",
    "say",
    "says",
    "said",
    "claim",
    "claims",
    "claimed",
];

/// Words that name a story going round: said after a check's report
/// ("Segundo o TSE, as urnas não têm chip, é tudo boato") they call the
/// claim a rumour, not the check a lie.
const RUMOURS: &[&str] = &["boato", "boatos", "bulo", "bulos"];

/// Returns true when folded `words` start by naming whom they report:
/// "segundo o TSE", "según el INE", "menurut KPU", "conforme a Justiça
/// Eleitoral", "de acordo com", "de acuerdo con", "according to", each
/// with someone after it. Not "segundo turno": "segundo" reports only
/// before an article.
fn according_to(words: &[String]) -> bool {
    let starts = |phrase: &[&str]| {
        words.len() > phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
    };
    let first = words
        .first()
        .filter(|_| words.len() > 1)
        .map(String::as_str);
    matches!(first, Some("segun" | "menurut" | "conforme"))
        || (first == Some("segundo")
            && words
                .get(1)
                .is_some_and(|w| matches!(w.as_str(), "o" | "a" | "os" | "as")))
        || starts(&["de", "acordo", "com"])
        || starts(&["de", "acuerdo", "con"])
        || starts(&["according", "to"])
}

/// The most words of an answer that calls a report false ("Mentira!",
/// "Papo furado, gente", "Puro cuento").
const ANSWER_WORDS: usize = 3;

/// `sentences` without each report of a denial that the next clause
/// calls false, and without that answer: "O TSE diz que as urnas de
/// Manaus não têm chip. Papo furado!", "A Globo falou que é fake.
/// Mentira!", "KPU bilang anggota TNI tidak boleh nyoblos, omong
/// kosong" are how those who spread a claim answer its check, and
/// neither the denial they report nor their verdict on it is theirs on
/// the claim. A denial is a refuting cue in a clause with a verb of
/// saying, or, with `language` (the content's and the claim's), a word
/// the claim states denied there ("não têm chip"). None when nothing is
/// answered.
fn without_answered_reports(
    sentences: &[&str],
    claim_text: &str,
    language: Option<&str>,
) -> Option<Vec<String>> {
    // Each sentence's clauses, split after a mark that ends a sentence
    // or a clause, with the sentence each is in.
    let clauses: Vec<(usize, &str)> = sentences
        .iter()
        .enumerate()
        .flat_map(|(at, sentence)| {
            sentence_parts(sentence)
                .into_iter()
                .flat_map(|part| part.split_inclusive([',', ';', ':']))
                .map(move |clause| (at, clause))
        })
        .collect();
    // Those with words: a lone mark ("... chip ?") is no clause.
    let worded: Vec<usize> = (0..clauses.len())
        .filter(|&at| clauses[at].1.chars().any(char::is_alphanumeric))
        .collect();
    // A denial is reported by a verb of saying, or after "segundo o
    // TSE", "según el INE", "menurut KPU", in its clause or alone in the
    // clause before it.
    let reports_a_denial = |before: Option<&str>, clause: &str| {
        let words = folded_words(clause);
        (words.iter().any(|w| SAYING.contains(&w.as_str()))
            || according_to(&words)
            || before.is_some_and(|before| according_to(&folded_words(before))))
            && (!cues_in(&[clause], claim_text, REFUTING).is_empty()
                || language
                    .is_some_and(|language| !denials(&[clause], claim_text, language).is_empty()))
    };
    let answers_false = |clause: &str| {
        let words = folded_words(clause);
        let said_to = words.iter().rposition(|w| !VOCATIVES.contains(&w.as_str()));
        said_to.map_or(0, |last| last + 1) <= ANSWER_WORDS
            && cues_in(&[clause], claim_text, REFUTING).iter().any(|cue| {
                let warns = cue.split(' ').next().is_some_and(|w| WARNINGS.contains(&w));
                !warns && !cue.split(' ').any(|w| RUMOURS.contains(&w))
            })
    };
    let mut dropped = vec![false; clauses.len()];
    for (at, pair) in worded.windows(2).enumerate() {
        let &[report, answer] = pair else {
            continue;
        };
        let before = at.checked_sub(1).map(|before| clauses[worded[before]].1);
        if answers_false(clauses[answer].1) && reports_a_denial(before, clauses[report].1) {
            dropped[report] = true;
            dropped[answer] = true;
        }
    }
    if !dropped.contains(&true) {
        return None;
    }
    let mut kept = vec![String::new(); sentences.len()];
    for ((sentence, clause), dropped) in clauses.iter().zip(dropped) {
        if !dropped {
            kept[*sentence].push_str(clause);
        }
    }
    Some(kept)
}

/// The cues of `cues` that `sentences` say and do not take back, and the
/// claim's text does not hold.
fn cues_in(sentences: &[&str], claim_text: &str, cues: &[&str]) -> Vec<String> {
    let asked: Vec<Vec<usize>> = sentences.iter().map(|s| asked_then_witnessed(s)).collect();
    let sentences: Vec<Marked> = sentences.iter().map(|s| marked_words(s)).collect();
    let claim = folded_words(claim_text);
    let mut found: Vec<String> = Vec::new();
    for cue in cues {
        let phrase: Vec<&str> = cue.split(' ').collect();
        let said = |(marked, asked): (&Marked, &Vec<usize>)| {
            let (words, parts) = marked;
            (0..words.len()).any(|at| {
                let part = parts[at];
                let short = parts.iter().filter(|&&p| p == part).count() <= ASKED_WORDS;
                starts_at(words, at, &phrase)
                    && parts[at] == parts[at + phrase.len() - 1]
                    && !(short && asked.contains(&part))
                    && !taken_back(marked, at, phrase.len())
            })
        };
        if sentences.iter().zip(&asked).any(said)
            && !contains(&claim, &phrase)
            && !found.iter().any(|f| f == cue)
        {
            found.push(cue.to_string());
        }
    }
    found
}

/// The most words of a verdict asked alone ("Mentira?", "É mentira?",
/// "Isso é fake?").
const ASKED_WORDS: usize = 3;

/// The parts of `text` (`sentence_parts`) that ask something and are
/// answered by the speaker's own witness in the next part: "Mentira? Eu
/// vi tudo.", "¿Falso? Yo estuve ahí.", "Hoaks? Aku lihat sendiri." A
/// verdict asked so is the spreader's scorn for it, not a verdict.
fn asked_then_witnessed(text: &str) -> Vec<usize> {
    let parts = sentence_parts(text);
    (0..parts.len().saturating_sub(1))
        .filter(|&at| {
            parts[at].trim_end().ends_with('?')
                && folded_words(parts[at + 1])
                    .first()
                    .is_some_and(|w| FIRST_PERSON.contains(&w.as_str()))
        })
        .collect()
}

/// Pictures, videos and recordings, folded (a `*` as in the cues).
/// Written out where a stem would start other words ("fotokopi",
/// "fotógrafo", "printer").
const MEDIA: &[&str] = &[
    "foto",
    "fotos",
    "fotonya",
    "fotografia",
    "fotografias",
    "imagem",
    "imagens",
    "imagen*",
    "video*",
    "audio*",
    "print",
    "prints",
    "printnya",
    "gambar",
    "gambarnya",
    "rekaman",
    "rekamannya",
];

/// Words that say a picture or a recording was doctored.
const DOCTORED: &[&str] = &[
    "manipulad*",
    "alterad*",
    "adulterad*",
    "editad*",
    "falsificad*",
    "fabricad*",
    "montad*",
    "rekayasa",
    "direkayasa",
    "dimanipulasi",
    "diedit",
];

/// Words from a picture to what was done to it ("a imagem foi
/// manipulada"). Further, the word is as often about someone in the
/// picture: "el video del candidato alterado" (upset).
const DOCTORED_WITHIN: usize = 2;

/// Answers that say no, folded: "X? Não, gente.", "¿X? Claro que no.".
const NO_ANSWERS: &[&str] = &[
    "nao",
    "claro que nao",
    "obvio que nao",
    "logico que nao",
    "no",
    "claro que no",
    "por supuesto que no",
    "obvio que no",
    "tidak",
    "bukan",
    "gak",
    "nggak",
    "enggak",
    "tentu tidak",
    "tentu saja tidak",
    // said as "no way", only as an answer: "o TSE vai resolver? nem a
    // pau" is a spreader's scorn as well
    "nem a pau",
    "nem pensar",
    "de jeito nenhum",
    "ni de chiste",
    "ni ahi",
    "ni loco",
    "para nada",
    "nada que ver",
    "mana ada",
    "nggak lah",
    "gak lah",
    "ya nggak",
    "ya enggak",
    "no way",
    "of course not",
    "non",
];

/// Whom an answer may be said to, after it ("Não, gente.").
const VOCATIVES: &[&str] = &[
    "gente",
    "pessoal",
    "galera",
    "amigos",
    "amigas",
    "chicos",
    "chicas",
    "banda",
    "raza",
    "amigo",
    "amiga",
    "gaes",
    "guys",
    "teman-teman",
    "kawan",
    "folks",
    "people",
];

/// Words of a question that must be the claim's for a "no" after it to
/// answer the claim: "E a imprensa falou disso? Não!" is how those who
/// spread a claim go on.
const QUESTION_HOLDS: usize = 3;

/// The claim asked as a question and answered no in the next sentence:
/// "a urna vai imprimir seu voto pra você levar pra casa? Não, gente."
/// The question must hold `QUESTION_HOLDS` of the claim's words of four
/// letters or more; the answer, the next sentence's first clause, is one
/// of `NO_ANSWERS` (alone or said to someone) and ends with a mark.
/// Given as "? " and the answer's words.
fn answered_no(sentences: &[&str], claim_text: &str) -> Vec<String> {
    let claim: Vec<String> = folded_words(claim_text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4)
        .collect();
    // The sentences' parts, each with whether it ends in a question mark.
    let parts: Vec<(&str, bool)> = sentences
        .iter()
        .flat_map(|sentence| sentence_parts(sentence))
        .map(|part| (part, part.trim_end().ends_with('?')))
        .filter(|(part, _)| part.chars().any(char::is_alphanumeric))
        .collect();
    let mut found = Vec::new();
    for pair in parts.windows(2) {
        let [(question, true), (answer, _)] = pair else {
            continue;
        };
        let asked = folded_words(question);
        let holds = claim.iter().filter(|w| asked.contains(w)).count();
        // The answer: the sentence's first clause ("Não, o voto é
        // secreto."), ended by its mark: in unpunctuated speech
        // "...pela internet? não / é verdade" may run on.
        let (first, ended) = match answer.split_once(',') {
            Some((first, _)) => (first, true),
            None => (*answer, answer.trim_end().ends_with(['.', '!', '…'])),
        };
        let words = folded_words(first);
        let said_to = words.iter().rposition(|w| !VOCATIVES.contains(&w.as_str()));
        let answer_words = &words[..said_to.map_or(0, |last| last + 1)];
        let no = NO_ANSWERS.iter().any(|phrase| {
            phrase
                .split(' ')
                .eq(answer_words.iter().map(String::as_str))
        });
        if holds >= QUESTION_HOLDS && no && ended {
            let cue = format!("? {}", answer_words.join(" "));
            if !found.contains(&cue) {
                found.push(cue);
            }
        }
    }
    found
}

/// Pictures and recordings the content says were doctored ("a imagem foi
/// manipulada", "el video fue alterado", "gambar rekayasa"), each given
/// as its words. The words alone would not do: "os votos foram
/// manipulados" is what those who spread a fraud claim say. Not when the
/// claim itself says a picture was doctored, nor when the doctoring is
/// denied ("o vídeo não foi editado").
fn doctored(sentences: &[&str], claim_text: &str) -> Vec<String> {
    let is = |word: &String, list: &[&str]| list.iter().any(|part| same_word(word, part));
    if folded_words(claim_text).iter().any(|w| is(w, DOCTORED)) {
        return Vec::new();
    }
    let mut found: Vec<String> = Vec::new();
    for sentence in sentences {
        let marked = marked_words(sentence);
        let (words, parts) = &marked;
        for (at, word) in words.iter().enumerate() {
            if !is(word, MEDIA) {
                continue;
            }
            let end = (at + DOCTORED_WITHIN).min(words.len() - 1);
            let Some(last) = (at + 1..=end)
                .find(|&after| is(&words[after], DOCTORED) && parts[after] == parts[at])
            else {
                continue;
            };
            if taken_back(&marked, last, 1) {
                continue;
            }
            let cue = words[at..=last].join(" ");
            if !found.contains(&cue) {
                found.push(cue);
            }
        }
    }
    found
}

/// What a picture or recording is said to be after it when it is old
/// and shared again as new, folded ("o vídeo é antigo", "ese video es de
/// 2018", "video itu direkam pada tahun 2019"); `#` stands for a year.
/// A true picture passed off as this election's is how most recycled
/// claims travel, and saying its age is how a debunk answers it.
const DATED: &[&str] = &[
    // pt
    "e antigo",
    "e antiga",
    "e velho",
    "e velha",
    "e de #",
    "e do ano de #",
    "era de #", // es too
    "foi gravad* em #",
    "foi feit* em #",
    "e de outra eleicao",
    // es
    "es viejo",
    "es vieja",
    "es antiguo",
    "es antigua",
    "es de #",
    "es del #",
    "es del ano #",
    "fue grabad* en #",
    "fue tomad* en #",
    "es de otra eleccion",
    // id
    "dari tahun #",
    "direkam pada tahun #",
    "direkam tahun #",
    "direkam pada #",
    "diambil pada tahun #",
    "diambil tahun #",
];

/// Words from a picture to its age ("Ese video de los marcadores de
/// Toluca con tinta que se borra es viejo").
const DATED_WITHIN: usize = 16;

/// Pictures and recordings the content dates as old (`DATED`), each given
/// as the picture's word and the age's. Not when the claim itself holds
/// the year (a claim about the 2018 count is not refuted by a video "de
/// 2018"), nor when the age is denied ("o vídeo não é antigo").
fn dated(sentences: &[&str], claim_text: &str) -> Vec<String> {
    let claim = folded_words(claim_text);
    let ages: Vec<Vec<&str>> = DATED.iter().map(|age| age.split(' ').collect()).collect();
    let is_media = |word: &String| MEDIA.iter().any(|part| same_word(word, part));
    let mut found: Vec<String> = Vec::new();
    for sentence in sentences {
        let marked = marked_words(sentence);
        let (words, parts) = &marked;
        let pictures = words.iter().enumerate().filter(|(_, w)| is_media(w));
        let after = pictures.flat_map(|(media, _)| {
            (media + 1..(media + 1 + DATED_WITHIN).min(words.len())).map(move |at| (media, at))
        });
        for (media, at) in after {
            let Some(len) = ages
                .iter()
                .find(|age| starts_at(words, at, age))
                .map(Vec::len)
            else {
                continue;
            };
            let age = &words[at..at + len];
            let year = age
                .last()
                .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()));
            // Denied as a cue is: "no es viejo" before the copula's word.
            let copula = usize::from(len > 1 && COPULAS.contains(&age[0].as_str()));
            // Folded, "é" is "e": after a year it joins another ("as
            // fraudes de 2014 e de 2018").
            let joins_years = age[0] == "e"
                && words[at.saturating_sub(2)..at]
                    .iter()
                    .any(|w| same_word(w, "#"));
            if parts[at + len - 1] != parts[media]
                || joins_years
                || taken_back(&marked, at + copula, len - copula)
                || year.is_some_and(|year| claim.contains(year))
            {
                continue;
            }
            let cue = format!("{} {}", words[media], age.join(" "));
            if !found.contains(&cue) {
                found.push(cue);
            }
        }
    }
    found
}

/// Words that report a claim as going round, as fact-checks open ("Circula
/// nas redes que...", "Beredar video...", "Se viralizó un video...").
const GOING_ROUND: &[&str] = &[
    "circula",
    "circulam",
    "circulando",
    "circulou",
    "circularam",
    "circulan",
    "circularon",
    "beredar",
    "viralizou",
    "viralizo",
    "viralizando",
    "viralizaram",
    "viralizaron",
];

/// Words that say someone is lying, folded: said of whoever says the
/// claim (`liars_named`), a debunk's.
const LYING: &[&str] = &[
    "mente",
    "mentem",
    "mentindo",
    "mentiu",
    "mentiroso",
    "mentirosa",
    "mentirosos",
    "miente",
    "mienten",
    "mintiendo",
    "mintio",
    "bohong",
    "boong",
    "ngibul",
    "pembohong",
];

/// Words that open "whoever ...": "quem", "quien", "yang"; "que" only
/// after an article ("el que dice eso").
const WHOEVER: &[&str] = &["quem", "quien", "quienes", "yang", "siapa"];

/// Articles before a "que" that opens "whoever" ("el que", "los que").
const WHOEVER_ARTICLES: &[&str] = &["el", "la", "los", "las"];

/// Words of telling or spreading a story, beside those that report it
/// (`SAYING`).
const TELLING: &[&str] = &[
    "diga",
    "digan",
    "fale",
    "falem",
    "espalha",
    "espalham",
    "compartilha",
    "compartilham",
    "manda",
    "mandam",
    "anda",
    "andan",
    "difunde",
    "comparte",
    "comparten",
    "ngomong",
    "nyebar",
    "nyebarin",
    "share",
];

/// Words that may stand between "whoever says" and the word of lying, or
/// after the saying: the claim pointed at ("isso", "eso", "gitu"), a
/// copula or auxiliary ("tá", "está", "es"), a gerund of saying
/// ("diciendo"), particles. Not "que": "quem diz que a urna é segura tá
/// mentindo" calls those who deny a claim liars, as spreaders do.
const LIAR_BETWEEN: &[&str] = &[
    "isso",
    "isto",
    "aquilo",
    "eso",
    "esto",
    "aquello",
    "itu",
    "gitu",
    "begitu",
    "ini",
    "ta",
    "esta",
    "estao",
    "tao",
    "e",
    "es",
    "son",
    "sao",
    "ai",
    "lo",
    "mesmo",
    "so",
    "tudo",
    "todo",
    "dizendo",
    "falando",
    "espalhando",
    "diciendo",
    "hablando",
    "pasti",
    "sih",
    "tuh",
    "mah",
    "ya",
];

/// The most words between "whoever says" and the word of lying, either
/// way round ("quem diz isso tá mentindo", "miente quien diga eso").
const LIAR_WITHIN: usize = 4;

/// Whoever says (or spreads) it called a liar: "quem diz isso tá
/// mentindo", "quem fala isso mente", "miente quien diga eso", "yang
/// bilang gitu ngibul"; only with `LIAR_BETWEEN` words between, so not
/// "quem diz que a urna é segura tá mentindo". A word of lying alone is
/// as often what those who spread a claim call the authorities ("o TSE
/// tá mentindo pra vocês"); said of whoever says the claim, it is a
/// debunk's. Given as the words from "whoever" to the word of lying, or
/// back.
fn liars_named(sentences: &[&str]) -> Vec<String> {
    let lying = |word: &String| LYING.contains(&word.as_str());
    let between = |word: &String| LIAR_BETWEEN.contains(&word.as_str());
    for sentence in sentences {
        for part in sentence_parts(sentence) {
            let words = folded_words(part);
            for at in 0..words.len() {
                let whoever = WHOEVER.contains(&words[at].as_str())
                    || (words[at] == "que"
                        && at
                            .checked_sub(1)
                            .is_some_and(|b| WHOEVER_ARTICLES.contains(&words[b].as_str())));
                let says = whoever
                    && words.get(at + 1).is_some_and(|w| {
                        SAYING.contains(&w.as_str()) || TELLING.contains(&w.as_str())
                    });
                if !says {
                    continue;
                }
                // "quem diz isso tá mentindo": what follows the saying,
                // up to the word of lying.
                let rest = &words[at + 2..words.len().min(at + 2 + LIAR_WITHIN)];
                if let Some(lie) = rest.iter().position(lying)
                    && rest[..lie].iter().all(between)
                {
                    return vec![words[at..=at + 2 + lie].join(" ")];
                }
                // "miente quien diga eso": the word of lying before, and
                // nothing said after the saying but the claim pointed at.
                let before = &words[at.saturating_sub(LIAR_WITHIN)..at];
                let pointed = words[at + 2..].iter().take_while(|w| between(w)).count();
                if let Some(lie) = before.iter().rposition(lying)
                    && before[lie + 1..].iter().all(between)
                    && at + 2 + pointed == words.len()
                {
                    let from = at - before.len() + lie;
                    return vec![words[from..=at + 1].join(" ")];
                }
            }
        }
    }
    Vec::new()
}

/// Words that set the record straight after it, folded ("Faktanya, KPU
/// ...", "Na verdade, ...", "O TSE esclarece que ...", "El INE aclaró
/// ..."). Alone they are as often how those who spread a claim insist
/// ("na verdade as urnas já vêm programadas"); after a sentence that
/// reports the claim going round, they are a debunk's.
const CORRECTING: &[&str] = &[
    "faktanya",
    "kenyataannya",
    "sebenarnya",
    "padahal",
    "na verdade",
    "na realidade",
    "a verdade e que",
    "esclarec*",
    "en realidad",
    "la verdad es que",
    "lo cierto es que",
    "aclar*",
];

/// The content reports a claim going round (`GOING_ROUND`), then sets
/// the record straight in a later sentence (`CORRECTING`): "Beredar video
/// ... Faktanya, Bawaslu tidak pernah ...", "Circula nas redes que ... O
/// TSE esclarece que isso não acontece." Given as the two words.
fn corrected(sentences: &[&str], claim_text: &str) -> Vec<String> {
    let claim = folded_words(claim_text);
    // Every sentence's words in order, each part numbered across them.
    let (mut words, mut parts) = (Vec::new(), Vec::new());
    for sentence in sentences {
        let (w, p) = marked_words(sentence);
        let first = parts.last().map_or(0, |last: &usize| last + 1);
        words.extend(w);
        parts.extend(p.into_iter().map(|part| part + first));
    }
    let marked = (words, parts);
    let (words, parts) = &marked;
    let Some(round) = words.iter().position(|w| GOING_ROUND.contains(&w.as_str())) else {
        return Vec::new();
    };
    for at in round + 1..words.len() {
        if parts[at] == parts[round] {
            continue;
        }
        for cue in CORRECTING {
            let phrase: Vec<&str> = cue.split(' ').collect();
            if starts_at(words, at, &phrase)
                && !contains(&claim, &phrase)
                && !taken_back(&marked, at, phrase.len())
            {
                return vec![format!(
                    "{} {}",
                    words[round],
                    words[at..at + phrase.len()].join(" ")
                )];
            }
        }
    }
    Vec::new()
}

/// Words after a negator that it denies.
const DENIED_WITHIN: usize = 2;
/// Words after a verb by which a claim takes something away that it
/// denies, all of them ("proibidas de tirar passaporte"), and before a
/// passive ("pemungutan suara ulang di Papua dibatalkan").
const TAKEN_WITHIN: usize = 5;
/// Folded words that join clauses in pt, es and id: what a claim takes
/// away does not reach past them.
const JOINERS: &[&str] = &[
    "que", "porque", "pois", "e", "mas", "quando", "se", "y", "pero", "pues", "cuando", "si",
    "yang", "karena", "dan", "tapi", "sehingga", "jika", "kalau",
];
/// Forms of Spanish "ir" that with "a" make a future ("no va a votar",
/// "quien no vaya a votar"); what is denied is the verb after them.
const GOING: &[&str] = &[
    "voy", "vas", "va", "vamos", "van", "iba", "iban", "vaya", "vayas", "vayan", "vayamos",
];
/// Folded pronouns said between a negator and its verb in Portuguese and
/// Spanish ("não te cobram", "no se lo quitan"). Not "o", "a", "os",
/// "as": after "não" they are more often articles or "to" than pronouns.
const CLITICS: &[&str] = &[
    "me", "te", "se", "nos", "lhe", "lhes", "le", "les", "lo", "la", "los", "las",
];
/// Letters of the shortest word a negator denies (light verbs and the
/// like are shorter: "tem", "ser", "ada").
const MIN_DENIED_CHARS: usize = 4;

/// The words that deny what follows them, in the partners' languages,
/// with "nobody" ("nadie le quita el subsidio", "ninguém vai cancelar
/// teu título"). Not English: with "not", "never", "don't"..., 21 of the 771 right
/// decisions on Snopes tweets train read as refutations against 5
/// without, nearly all wrongly (quotes, jokes: "It's not to shoot deer").
fn negators_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["nao", "nunca", "jamais", "ninguem"],
        "es" => &["no", "nunca", "jamas", "nadie"],
        "id" => &[
            "tidak", "bukan", "tak", "gak", "nggak", "enggak", "ga", "ndak",
        ],
        _ => &[],
    }
}

/// The words by which a claim denies what follows them: the negators and
/// "nor" and "without" ("quem não votar nem justificar", "Venezuelanos
/// sem naturalização", "votar sin credencial", "tanpa e-KTP"). Content
/// that says these says what the claim says. Not read as denials in
/// content: there they are how a spreader insists ("que nem são
/// naturalizados", "sem ninguém ver").
fn claim_negators_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["nao", "nunca", "jamais", "nem", "sem"],
        "es" => &["no", "nunca", "jamas", "ni", "sin"],
        "id" => &[
            "tidak", "bukan", "tak", "gak", "nggak", "enggak", "ga", "ndak", "tanpa",
        ],
        _ => &[],
    }
}

/// Words a negator reaches over to what it denies, each taking its reach
/// one word further: "tidak pernah membatalkan" ("never cancelled")
/// denies the cancelling, "no hay ninguna multa" and "não tem nenhuma
/// multa" the fine. Not the modal verbs ("não pode votar", "tidak akan
/// libur"): they are how those who spread a ban retell it.
fn reached_over(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["nenhum", "nenhuma"],
        "es" => &["ningun", "ninguna"],
        "id" => &["pernah"],
        _ => &[],
    }
}

/// The verbs of being able or allowed, folded, in the partners'
/// languages: what a check most often denies ("não pode votar", "no
/// podrá votar", "tidak bisa memilih"), and what the truth affirms.
fn able_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &[
            "pode",
            "podem",
            "podera",
            "poderao",
            "consegue",
            "conseguem",
        ],
        "es" => &["puede", "pueden", "podra", "podran", "podes", "podras"],
        "id" => &["bisa", "boleh", "dapat"],
        _ => &[],
    }
}

/// Whether `text` says, without a negator before it, the verb of being
/// able or allowed that `claim_text` (in `language`, as the text) denies,
/// and never denies it: "yang pindah domisili ke Balikpapan bisa urus
/// surat pindah memilih" against the check that those who moved "tidak
/// bisa memilih"; or so the words after the claim's negator
/// (`says_what_follows_its_negator`); or that something the claim does not
/// name is enough (`enough_is_something_else`). That is the contrary of
/// the check in its own words, not a retelling: spreaders keep the negator
/// ("nggak bisa nyoblos") and name what the check names.
pub fn affirms_what_it_denies(text: &str, claim_text: &str, language: &str) -> bool {
    affirms_an_ability_it_denies(text, claim_text, language)
        || says_what_follows_its_negator(text, claim_text, language)
        || enough_is_something_else(text, claim_text, language)
}

/// Folded words by which content says what is enough or all that is
/// needed ("cukup bawa KTP", "basta levar o documento", "solo llevan el
/// DNI"), in the partners' languages, each read as words in a row.
fn enough_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &[
            "basta",
            "so precisa",
            "so precisam",
            "so leva",
            "so levar",
            "so levam",
            "e so levar",
        ],
        "es" => &[
            "basta con",
            "alcanza con",
            "solo necesitas",
            "solo necesitan",
            "solo hace falta",
            "solo lleva",
            "solo llevan",
            "solo llevas",
        ],
        "id" => &[
            "cukup",
            "cuma perlu",
            "hanya perlu",
            "cuma butuh",
            "hanya butuh",
        ],
        _ => &[],
    }
}

/// Words of content after a word of `enough_of` read for what it names.
const ENOUGH_NAMES: usize = 2;

/// Whether `text` says that something the claim does not name is enough
/// (`enough_of`, then within its next two words of content one that is
/// not the claim's): "bansos beras di Garut dibagikan ke warga DTKS, cukup
/// bawa KTP dan kartu keluarga" against the check that only those bringing
/// a party card get the rice; "solo llevan el dni" against the check that
/// they must bring their parents' signed permission. Checks of what one
/// must bring, be or pay to vote are common, and their truth is said this
/// way; a spreader naming what the check names ("cukup bawa kartu
/// partai") says the check.
fn enough_is_something_else(text: &str, claim_text: &str, language: &str) -> bool {
    let markers = enough_of(language);
    if markers.is_empty() {
        return false;
    }
    let mut analyzer = crate::index::analysis::stem_analyzer(language);
    let claim: Vec<String> = clauses(claim_text, &mut analyzer)
        .into_iter()
        .flatten()
        .filter_map(|(_, stem)| stem)
        .collect();
    for clause in clauses(text, &mut analyzer) {
        let words: Vec<&str> = clause.iter().map(|(w, _)| w.as_str()).collect();
        for marker in markers {
            let phrase: Vec<&str> = marker.split(' ').collect();
            for at in (0..words.len()).filter(|&at| words[at..].starts_with(&phrase)) {
                let named = clause[at + phrase.len()..]
                    .iter()
                    .filter_map(|(_, stem)| stem.as_ref())
                    .take(ENOUGH_NAMES);
                if named.into_iter().any(|stem| !claim.contains(stem)) {
                    return true;
                }
            }
        }
    }
    false
}

/// The able or allowed test of `affirms_what_it_denies`.
fn affirms_an_ability_it_denies(text: &str, claim_text: &str, language: &str) -> bool {
    let able = able_of(language);
    let negators = negators_of(language);
    if able.is_empty() {
        return false;
    }
    // Each verb of `able` in `words`, with whether one of the two words
    // before it denies it.
    let uses = |words: &[String]| -> Vec<(String, bool)> {
        words
            .iter()
            .enumerate()
            .filter(|(_, w)| able.contains(&w.as_str()))
            .map(|(at, w)| {
                let denied = words[at.saturating_sub(2)..at]
                    .iter()
                    .any(|b| negators.contains(&b.trim_end_matches(',')));
                (w.clone(), denied)
            })
            .collect()
    };
    let in_claim = uses(&folded_words(claim_text));
    let denies = in_claim
        .iter()
        .any(|(verb, denied)| *denied && !in_claim.iter().any(|(v, d)| v == verb && !d));
    if !denies {
        return false;
    }
    // Any form of the verbs counts in the content: "pode" answers "não
    // poderão".
    let in_text = uses(&folded_words(text));
    !in_text.is_empty() && in_text.iter().all(|(_, denied)| !denied)
}

/// Words a claim denies that content must say alike, in order: the
/// three after the claim's negator.
const DENIED_PHRASE: usize = 3;

/// Whether `text` says the three words that follow a negator of
/// `claim_text`, in its clause and not under a condition, with no negator
/// before them, and never with one: "en santa fe si te equivocás le
/// avisás al presidente de mesa y te da otra" against "si te equivocás
/// al marcar la Boleta Única no te dan otra". Two of the three must be
/// the claim's own words and the third a form of its word (one the start
/// of the other, or both starting alike for four letters): "da" for
/// "dan". Three words in the claim's order are its phrase, not a word of
/// it said in another sense; a spreader keeps the negator.
fn says_what_follows_its_negator(text: &str, claim_text: &str, language: &str) -> bool {
    let negators = negators_of(language);
    let conditionals = conditionals_of(language);
    if negators.is_empty() {
        return false;
    }
    let clauses_of = |text: &str| -> Vec<Vec<String>> {
        fold(text)
            .split([',', ';', ':', '.', '!', '?', '\n'])
            .map(|clause| crate::text::words(clause).map(str::to_owned).collect())
            .collect()
    };
    let mut denied: Vec<&[String]> = Vec::new();
    let claim = clauses_of(claim_text);
    for clause in &claim {
        for (at, word) in clause.iter().enumerate() {
            // The three words after it, or the one or two that end the
            // clause ("dianggap tidak sah"), whose condition is the word
            // before the negator ("quem não votar"; in "calon yang sama
            // dianggap tidak sah" the "yang" is of the ballot's
            // description, not of the denial).
            let phrase = &clause[at + 1..clause.len().min(at + 1 + DENIED_PHRASE)];
            let worded = phrase.len() == DENIED_PHRASE
                || phrase.last().is_some_and(|w| w.chars().count() >= 3);
            let before = if phrase.len() == DENIED_PHRASE { 3 } else { 1 };
            let conditional = clause[at.saturating_sub(before)..at]
                .iter()
                .any(|w| conditionals.contains(&w.as_str()));
            if negators.contains(&word.as_str()) && !conditional && worded {
                denied.push(phrase);
            }
        }
    }
    if denied.is_empty() {
        return false;
    }
    let alike = |a: &str, b: &str| {
        let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        a == b || shared >= 4 || (shared >= 2 && shared == a.chars().count().min(b.chars().count()))
    };
    // A shorter phrase is said word for word.
    let says = |said: &[String], phrase: &[String]| {
        let same = said.iter().zip(phrase).filter(|(a, b)| a == b).count();
        said.len() == phrase.len()
            && (same == phrase.len()
                || (phrase.len() == DENIED_PHRASE
                    && same + 1 >= DENIED_PHRASE
                    && said.iter().zip(phrase).all(|(a, b)| alike(a, b))))
    };
    let mut affirmed = false;
    for clause in clauses_of(text) {
        for at in 0..clause.len() {
            let said_there = |phrase: &&[String]| {
                clause
                    .get(at..at + phrase.len())
                    .is_some_and(|said| says(said, phrase))
            };
            if !denied.iter().any(said_there) {
                continue;
            }
            if clause[at.saturating_sub(2)..at]
                .iter()
                .any(|w| negators.contains(&w.as_str()))
            {
                return false;
            }
            affirmed = true;
        }
    }
    affirmed
}

/// `reached_over` and `able_of` together (a test keeps them in step):
/// what a claim's negator reaches over to the verb it denies the ability
/// of.
fn over_ability_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &[
            "nenhum",
            "nenhuma",
            "pode",
            "podem",
            "podera",
            "poderao",
            "consegue",
            "conseguem",
        ],
        "es" => &[
            "ningun", "ninguna", "puede", "pueden", "podra", "podran", "podes", "podras",
        ],
        "id" => &["pernah", "bisa", "boleh", "dapat"],
        _ => &[],
    }
}

/// Words that put a negation under a condition or on whoever it is ("se
/// você não votar", "kalau gak bawa", "quem não votar"), or draw it from
/// what came before as advice ("se le suma al primero, así que no votes
/// en blanco", "então não vote em branco"): no denial.
fn conditionals_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["se", "caso", "quem", "entao", "portanto"],
        "es" => &["si", "quien", "quienes", "asi", "entonces"],
        "id" => &[
            "kalau", "kalo", "jika", "apabila", "bila", "yang", "makanya",
        ],
        _ => &[],
    }
}

/// Words after which a negator makes a noun of what follows rather than
/// denying it: "a multa por não votar", "la multa por no votar",
/// "ditolak karena tidak membawa KK" say what the claim says.
fn for_not_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["por", "para", "pra", "de"],
        "es" => &["por", "para", "de"],
        "id" => &["karena", "untuk"],
        _ => &[],
    }
}

/// Verbs by which a claim takes something away, folded: what they reach
/// the claim denies as a negator would ("Pemerintah membatalkan libur
/// nasional", "El INE canceló la elección", "o TSE vai cancelar o
/// título", "perde o título"), so content that says there is none
/// ("jadi tidak bisa libur", "não tem título") agrees with it.
fn taking_away_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &[
            "cancela",
            "cancelam",
            "cancelar",
            "cancelou",
            "cancelaram",
            "cancelad*",
            "suspende",
            "suspender",
            "suspendeu",
            "suspenderam",
            "suspens*",
            "proibe",
            "proibir",
            "proibiu",
            "proibiram",
            "proibid*",
            "vetar",
            "vetou",
            "vetad*",
            "anular",
            "anula",
            "anulad*",
            "perde",
            "perdem",
            "perder",
            "perdera",
            "perderao",
        ],
        "es" => &[
            "cancela",
            "cancelan",
            "cancelar",
            "cancelo",
            "cancelaron",
            "cancelad*",
            "suspende",
            "suspender",
            "suspendio",
            "suspendieron",
            "suspendid*",
            "prohibe",
            "prohibir",
            "prohibio",
            "prohibieron",
            "prohibid*",
            "anular",
            "anula",
            "anulad*",
            "quita",
            "quitar",
            "quito",
            "quitaron",
            "pierde",
            "pierden",
            "perder",
            "perdera",
            "perderan",
        ],
        "id" => &[
            "membatalkan",
            "dibatalkan",
            "melarang",
            "dilarang",
            "meniadakan",
            "ditiadakan",
            "mencabut",
            "dicabut",
            "mencoret",
            "dicoret",
            "menghapus",
            "dihapus",
        ],
        _ => &[],
    }
}

/// The words of `taking_away_of` that also take away what comes before
/// them, after a copula in Portuguese and Spanish ("o voto é proibido",
/// "el voto queda anulado") and alone in Indonesian ("PSU di Papua
/// dibatalkan").
fn passives_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["cancelad*", "suspens*", "proibid*", "vetad*", "anulad*"],
        "es" => &["cancelad*", "suspendid*", "prohibid*", "anulad*"],
        "id" => &[
            "dibatalkan",
            "dilarang",
            "ditiadakan",
            "dicabut",
            "dicoret",
            "dihapus",
        ],
        _ => &[],
    }
}

/// The copulas of a passive (`passives_of`), folded; none in Indonesian.
fn copulas_of(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &[
            "e", "foi", "sera", "seria", "ser", "seja", "sao", "foram", "serao", "sejam", "esta",
            "estao", "estar", "fica", "ficam", "ficou", "ficara", "ficarao", "ficar",
        ],
        "es" => &[
            "es", "fue", "sera", "seria", "ser", "sea", "son", "fueron", "seran", "sean", "esta",
            "estan", "estar", "queda", "quedan", "quedo", "quedara", "quedaran", "quedar",
        ],
        _ => &[],
    }
}

/// The negations content is read with, in `language`, and what the claim
/// denies itself: with its negators, "nor" and "without", and by the
/// verbs by which it takes something away, each stem with its words.
fn claim_denials(claim: &[Clause], language: &str) -> (Negation, Vec<(String, String)>) {
    let lists = Negation {
        negators: negators_of(language),
        conditionals: conditionals_of(language),
        for_not: for_not_of(language),
        over: reached_over(language),
        reach: DENIED_WITHIN,
        every: false,
        passives: &[],
        copulas: &[],
    };
    // What the claim takes away it denies, as it denies with a negator,
    // and from whomever: "quem ... fica proibido de votar".
    // Every word of what it takes away: "ficarão proibidas de tirar
    // passaporte" is retold "não tem passaporte pra ninguém".
    let taking_away = Negation {
        negators: taking_away_of(language),
        conditionals: &[],
        reach: TAKEN_WITHIN,
        every: true,
        passives: passives_of(language),
        copulas: copulas_of(language),
        ..lists
    };
    // What the claim denies under a condition or as a noun, or with
    // "nor" or "without", it still denies: "quem não votar nem
    // justificar" makes "não votou e não justificou?" a retelling of the
    // fine, not a denial of it.
    let in_claim = Negation {
        negators: claim_negators_of(language),
        conditionals: &[],
        for_not: &[],
        ..lists
    };
    let mut denied_in_claim = denied(claim, &in_claim);
    // And past a verb of being able, the verb it denies the ability of:
    // "ya no podrá votar" denies voting too, so "el que llegue después ya
    // no vota" retells it.
    denied_in_claim.extend(denied(
        claim,
        &Negation {
            over: over_ability_of(language),
            ..in_claim
        },
    ));
    denied_in_claim.extend(denied(claim, &taking_away));
    (lists, denied_in_claim)
}

/// Whether each time `sentences` say `cue` (one of `NONE_THERE`) it is of
/// something the claim itself takes away or denies: "jadi tidak ada
/// pemungutan suara ulang" retells "pemungutan suara ulang dibatalkan".
fn none_of_what_it_takes(sentences: &[&str], claim_text: &str, language: &str, cue: &str) -> bool {
    let mut analyzer = crate::index::analysis::stem_analyzer(language);
    let claim = clauses(claim_text, &mut analyzer);
    let (_, taken) = claim_denials(&claim, language);
    let phrase: Vec<&str> = cue.split(' ').collect();
    let mut said = false;
    for sentence in sentences {
        for clause in clauses(sentence, &mut analyzer) {
            let words: Vec<&str> = clause.iter().map(|(w, _)| w.as_str()).collect();
            for at in (0..words.len()).filter(|&at| words[at..].starts_with(&phrase)) {
                said = true;
                let after = at + phrase.len();
                let first = clause[after..clause.len().min(after + DENIED_WITHIN)]
                    .iter()
                    .find_map(|(word, stem)| {
                        stem.as_deref()
                            .filter(|_| word.chars().count() >= MIN_DENIED_CHARS)
                    });
                if !first.is_some_and(|stem| taken.iter().any(|(s, _)| s == stem)) {
                    return false;
                }
            }
        }
    }
    said
}

/// The denials of the claim in `sentences`: a negator followed within
/// `DENIED_WITHIN` words by a word of the claim (the same stem), which the
/// claim does not deny itself ("quem não votar" in a claim about the fine
/// for not voting). Each is given as its words, from the negator on.
fn denials(sentences: &[&str], claim_text: &str, language: &str) -> Vec<String> {
    if negators_of(language).is_empty() {
        return Vec::new();
    }
    denials_in(&Parsed::new(sentences, claim_text, language), language)
}

/// A claim and the sentences read with it, each in clauses of words with
/// their stems (`clauses`), read once for every rule that needs them.
struct Parsed {
    claim: Vec<Clause>,
    /// Each sentence's clauses.
    sentences: Vec<Vec<Clause>>,
}

impl Parsed {
    fn new(sentences: &[&str], claim_text: &str, language: &str) -> Self {
        let mut analyzer = crate::index::analysis::stem_analyzer(language);
        Parsed {
            claim: clauses(claim_text, &mut analyzer),
            sentences: sentences
                .iter()
                .map(|sentence| clauses(sentence, &mut analyzer))
                .collect(),
        }
    }

    /// Whether `stem` is a stem of the claim's words.
    fn states(&self, stem: &str) -> bool {
        self.claim
            .iter()
            .flatten()
            .any(|(_, s)| s.as_deref() == Some(stem))
    }
}

/// `denials`, of sentences and a claim already read.
fn denials_in(read: &Parsed, language: &str) -> Vec<String> {
    let claim = &read.claim;
    let (lists, denied_in_claim) = claim_denials(claim, language);
    let mut found: Vec<String> = Vec::new();
    for clauses in &read.sentences {
        for (stem, words) in denied(clauses, &lists) {
            if read.states(&stem)
                && !denied_in_claim.iter().any(|(s, _)| *s == stem)
                && !warned(&words, &stem, claim, language)
                && !found.contains(&words)
            {
                found.push(words);
            }
        }
    }
    found
}

/// Verbs whose echo is no answer: "não sei não" doubts, "acho que não"
/// guesses.
const ECHO_NOT: &[&str] = &["sei", "sabe", "acho", "lembro", "entendi", "vi"];

/// Verdicts an Indonesian speaker says of what was just said: "itu
/// salah", "itu ngarang", "ini keliru". Not before another word ("salah
/// satu" is "one of", "salah KPU" is "the KPU's fault").
const CALLED: &[&str] = &["salah", "ngarang", "keliru", "ngaco"];

/// Words that may follow such a verdict at its clause's end ("itu salah
/// besar", "itu ngarang aja", "ini salah ya").
const VERDICT_TAIL: &[&str] = &[
    "ya", "kok", "sih", "deh", "dong", "banget", "besar", "total", "lho", "loh", "kan", "aja",
    "semua",
];

/// Words that may stand between "itu" and the verdict ("itu jelas salah",
/// "itu sih ngarang").
const VERDICT_BETWEEN: &[&str] = &["jelas", "sih", "mah", "semua", "pasti"];

/// Indonesian authorities whose word a spreader calls wrong ("KPU bilang
/// e-KTP cukup, itu salah"); a verdict after them is not said of the
/// claim, unless the claim names them too.
const AUTHORITIES_ID: &[&str] = &["kpu", "bawaslu", "pemerintah", "polisi", "polri", "dkpp"];

/// What a clause ends by saying never was, in each language: "o tal
/// ataque hacker nunca existiu", "la elección aplazada no existió",
/// "kejadian itu tidak pernah ada". Only at the clause's end (a vocative
/// after it aside): "nunca existiu eleição tão roubada" is how a spreader
/// insists. ("nunca aconteceu", "nunca pasó" refute anywhere:
/// `REFUTING`.)
fn never_was(language: &str) -> &'static [&'static [&'static str]] {
    match language {
        "pt" => &[
            &["nunca", "existiu"],
            &["nao", "existiu"],
            &["nunca", "houve"],
        ],
        "es" => &[
            &["nunca", "existio"],
            &["no", "existio"],
            &["no", "paso"],
            &["no", "ocurrio"],
        ],
        "id" => &[
            &["tidak", "pernah", "terjadi"],
            &["gak", "pernah", "terjadi"],
            &["nggak", "pernah", "terjadi"],
            &["tidak", "pernah", "ada"],
            &["gak", "pernah", "ada"],
            &["nggak", "pernah", "ada"],
        ],
        _ => &[],
    }
}

/// Denials said as people answer in their language, after words that
/// state the claim (one of its stems): what they end by saying never was
/// (`never_was`: "o tal ataque hacker em Londrina nunca existiu"), the
/// Portuguese echo of the claim's verb ("a eleição em Palmas foi adiada,
/// não foi não", "os votos sumiram, sumiram nada") and the Indonesian
/// verdict on what was said ("katanya surat suara dicetak dua kali
/// lipat, itu ngarang"). Given as the answer's words. Not "o TSE não fez
/// nada" (no echo: plain negation of something else) nor "não sei não"
/// (doubt).
fn answered_in_kind(read: &Parsed, language: &str) -> Vec<String> {
    let claim = &read.claim;
    let stated = |words: &[(String, Option<String>)]| {
        words
            .iter()
            .any(|(_, stem)| stem.as_deref().is_some_and(|stem| read.states(stem)))
    };
    let said: Vec<&Clause> = read
        .sentences
        .iter()
        .flatten()
        .filter(|clause| !clause.is_empty())
        .collect();
    for (at, clause) in said.iter().enumerate() {
        // "... nunca existiu", after the claim in its clause or, pointed
        // back at ("isso nunca existiu"), in the clause before.
        if let Some(from) = ended_never(clause, language)
            && (stated(&clause[..from])
                || (at > 0
                    && clause[..from]
                        .iter()
                        .all(|(word, _)| POINTING_BACK.contains(&word.as_str()))
                    && stated(said[at - 1])))
        {
            let words: Vec<&str> = clause[from..].iter().map(|(w, _)| w.as_str()).collect();
            return vec![words.join(" ")];
        }
        let found = if language == "pt" {
            // The verb said again in any form ("sumiu com os votos,
            // sumiram nada"): the same word or the same stem.
            echo(clause)
                .filter(|&(from, (verb, stem))| {
                    let again = |(word, said): &(String, Option<String>)| {
                        word == verb || (stem.is_some() && said == stem)
                    };
                    let before = said[..at].iter().map(|clause| clause.as_slice());
                    before
                        .chain([&clause[..from]])
                        .any(|earlier| earlier.iter().any(again) && stated(earlier))
                })
                .map(|(from, _)| from)
        } else if language == "id" {
            called(clause)
                .filter(|&(from, _)| {
                    let said_before = if from > 0 {
                        &clause[..from]
                    } else if at > 0 {
                        said[at - 1].as_slice()
                    } else {
                        &[]
                    };
                    let claim_names = |word: &str| claim.iter().flatten().any(|(w, _)| w == word);
                    stated(said_before)
                        && !said_before.iter().any(|(word, _)| {
                            AUTHORITIES_ID.contains(&word.as_str()) && !claim_names(word)
                        })
                })
                .map(|(from, _)| from)
        } else {
            None
        };
        if let Some(from) = found {
            let words: Vec<&str> = clause[from..].iter().map(|(w, _)| w.as_str()).collect();
            return vec![words.join(" ")];
        }
    }
    Vec::new()
}

/// Where the "never was" (`never_was`) that ends `clause` starts, a
/// vocative after it aside.
fn ended_never(clause: &[(String, Option<String>)], language: &str) -> Option<usize> {
    let words: Vec<&str> = clause.iter().map(|(w, _)| w.as_str()).collect();
    let end = words
        .iter()
        .rposition(|w| !VOCATIVES.contains(w))
        .map_or(0, |last| last + 1);
    never_was(language).iter().find_map(|phrase| {
        let from = end.checked_sub(phrase.len())?;
        (words[from..end] == **phrase).then_some(from)
    })
}

/// The Portuguese echo that ends `clause`, "não <verb> não" or "<verb>
/// nada" (not after a negator: "não fez nada" is plain negation): where
/// it starts, and the verb with its stem.
fn echo(clause: &[(String, Option<String>)]) -> Option<(usize, &(String, Option<String>))> {
    let words: Vec<&str> = clause.iter().map(|(w, _)| w.as_str()).collect();
    let n = words.len();
    let negator = |word: &str| negators_of("pt").contains(&word);
    let (from, verb) = match words.as_slice() {
        [.., "nao", _, "nao"] => (n - 3, n - 2),
        [before @ .., _, "nada"] if before.last().is_none_or(|w| !negator(w)) => (n - 2, n - 2),
        _ => return None,
    };
    let said = words[verb];
    (!negator(said) && !ECHO_NOT.contains(&said) && said != "nada").then_some((from, &clause[verb]))
}

/// Words that point back at what was just said, and may stand before
/// what a clause ends by saying never was ("..., isso nunca existiu").
const POINTING_BACK: &[&str] = &[
    "isso", "isto", "aquilo", "tudo", "eso", "esto", "aquello", "todo", "itu", "ini", "semua",
];

/// The Indonesian verdict that ends `clause` ("itu salah", "itu jelas
/// ngarang ya"): where it starts, and the verdict.
fn called(clause: &[(String, Option<String>)]) -> Option<(usize, &str)> {
    let words: Vec<&str> = clause.iter().map(|(w, _)| w.as_str()).collect();
    let that = words.iter().rposition(|w| matches!(*w, "itu" | "ini"))?;
    let rest = &words[that + 1..];
    let between = rest
        .iter()
        .take_while(|w| VERDICT_BETWEEN.contains(w))
        .count();
    let verdict = *rest.get(between)?;
    (CALLED.contains(&verdict) && rest[between + 1..].iter().all(|w| VERDICT_TAIL.contains(w)))
        .then_some((that, verdict))
}

/// Endings of the present subjunctive of Portuguese and Spanish verbs in
/// -ar, which with a negator make the imperative: "não votem", "no
/// voten", "no votes", "não vote".
const WARNING_ENDINGS: &[&str] = &["e", "es", "em", "en", "emos"];

/// Endings of the claim's own forms of an -ar verb (its infinitive,
/// present, past, future, participle, folded) or of its noun in -o:
/// "votar", "votás", "vota", "votam", "votou", "votado", "voto".
const CLAIMED_ENDINGS: &[&str] = &[
    "ar", "as", "a", "am", "an", "amos", "ou", "aron", "o", "ado", "ada", "ados", "adas", "ara",
    "aran", "arao",
];

/// Whether the denial `words` (from the negator to the word denied, of
/// stem `stem`) is a warning, not a denial: a verb of the claim in -ar
/// said in the imperative ("no voten con el DNI vencido que no cuenta",
/// "não votem de boné que o mesário anula"), which is how those who
/// spread a rule that takes the vote away tell others to mind it. The
/// claim says the verb otherwise ("votás", "votar"); the content says
/// it as an order.
fn warned(words: &str, stem: &str, claim: &[Clause], language: &str) -> bool {
    if !matches!(language, "pt" | "es") {
        return false;
    }
    let said = words.rsplit(' ').next().unwrap_or(words);
    said.strip_prefix(stem)
        .is_some_and(|ending| WARNING_ENDINGS.contains(&ending))
        && claim.iter().flatten().any(|(word, claimed)| {
            claimed.as_deref() == Some(stem)
                && word
                    .strip_prefix(stem)
                    .is_some_and(|ending| CLAIMED_ENDINGS.contains(&ending))
        })
}

/// A clause's words: each folded, with its stem (none for a stop word).
type Clause = Vec<(String, Option<String>)>;

/// The clauses of `text` (split at punctuation: "não, a multa subiu"
/// denies nothing of the fine).
fn clauses(text: &str, analyzer: &mut tantivy::tokenizer::TextAnalyzer) -> Vec<Clause> {
    text.split([',', ';', ':', '.', '!', '?', '\n'])
        .map(|clause| {
            // Split as folded text is (the stemmer reads the accents); a
            // chat spelling read as its word ("n têm chip").
            let said: Vec<&str> = crate::text::words(clause).collect();
            let mut words: Clause = Vec::with_capacity(said.len());
            for (at, word) in said.iter().enumerate() {
                let before = words.last().map(|(w, _)| w.as_str());
                let word =
                    chat_word(&fold(word), before, said.get(at + 1).copied()).unwrap_or(word);
                let stem = crate::index::analysis::terms(analyzer, word).pop();
                words.push((fold(word), stem));
            }
            words
        })
        .collect()
}

/// A language's words of negation (see `negators_of`, `conditionals_of`,
/// `for_not_of`, `reached_over`).
struct Negation {
    negators: &'static [&'static str],
    conditionals: &'static [&'static str],
    for_not: &'static [&'static str],
    over: &'static [&'static str],
    /// How many words after a negator it reaches, and whether it denies
    /// every word of content there or only the first.
    reach: usize,
    every: bool,
    /// Negators that also deny the nearest word of content before them,
    /// when the word before them is one of `copulas` (or always, when
    /// there are none): "o voto é proibido", "PSU di Papua dibatalkan".
    passives: &'static [&'static str],
    copulas: &'static [&'static str],
}

/// Each stem a negator of `clauses` denies, with the words from the
/// negator to it; none after a conditional in the clause, nor after a
/// word that makes a noun of it ("por não votar").
fn denied(clauses: &[Clause], lists: &Negation) -> Vec<(String, String)> {
    let Negation {
        negators,
        conditionals,
        for_not,
        over,
        reach,
        every,
        passives,
        copulas,
    } = lists;
    let content = |(word, stem): &(String, Option<String>)| {
        stem.as_ref()
            .filter(|_| word.chars().count() >= MIN_DENIED_CHARS && !over.contains(&word.as_str()))
            .cloned()
    };
    let mut denied = Vec::new();
    for clause in clauses {
        for (at, (word, _)) in clause.iter().enumerate() {
            let for_not = at
                .checked_sub(1)
                .is_some_and(|before| for_not.contains(&clause[before].0.as_str()));
            if !negators.iter().any(|n| same_word(word, n)) || for_not {
                continue;
            }
            if clause[..at]
                .iter()
                .any(|(w, _)| conditionals.contains(&w.as_str()))
            {
                break;
            }
            // The first word of content it reaches ("não têm chip": "têm"
            // is too short to be one): "quem não votar subiu" denies
            // voting, not the rise.
            // Spanish says its future with "ir a": "no va a organizar"
            // reaches as far as "no organizará".
            // Pronouns between the negator and its verb take no reach:
            // "el INE no te la quita" denies the taking away.
            let clitics = clause[at + 1..]
                .iter()
                .take_while(|(w, _)| CLITICS.contains(&w.as_str()))
                .count();
            let verb = at + 1 + clitics;
            let going_to = clause
                .get(verb)
                .is_some_and(|(w, _)| GOING.contains(&w.as_str()))
                && clause.get(verb + 1).is_some_and(|(w, _)| w == "a");
            let start = if going_to { verb + 2 } else { verb };
            let passed = clause[start..clause.len().min(start + reach)]
                .iter()
                .filter(|(w, _)| over.contains(&w.as_str()))
                .count();
            let end = (at + reach + clitics + usize::from(going_to) + passed).min(clause.len() - 1);
            // All of what a verb takes away lies before the clause it
            // joins ("dibatalkan karena KPU kehabisan anggaran" takes
            // away the vote, not the budget).
            let reached = (start..=end)
                .take_while(|&after| !(*every && JOINERS.contains(&clause[after].0.as_str())))
                .filter_map(|after| Some((after, content(&clause[after])?)));
            for (after, stem) in reached.take(if *every { usize::MAX } else { 1 }) {
                let words: Vec<&str> = clause[at..=after].iter().map(|(w, _)| w.as_str()).collect();
                denied.push((stem, words.join(" ")));
            }
            // What a passive takes away comes before it ("o voto é
            // proibido", "pemungutan suara ulang di Papua dibatalkan"):
            // the words of content before the copula, back to a word
            // that joins another clause ("serão multados porque o voto é
            // proibido" takes away the vote, not the fine).
            let passive = passives.iter().any(|p| same_word(word, p))
                && (copulas.is_empty()
                    || at
                        .checked_sub(1)
                        .is_some_and(|before| copulas.contains(&clause[before].0.as_str())));
            if passive {
                let from = if copulas.is_empty() { at } else { at - 1 };
                let before = (from.saturating_sub(*reach)..from)
                    .rev()
                    .take_while(|&before| !JOINERS.contains(&clause[before].0.as_str()))
                    .filter_map(|before| Some((before, content(&clause[before])?)));
                for (before, stem) in before {
                    let words: Vec<&str> = clause[before..=at]
                        .iter()
                        .map(|(w, _)| w.as_str())
                        .collect();
                    denied.push((stem, words.join(" ")));
                }
            }
        }
    }
    denied
}

/// A sentence's folded words, each with the number of the part it is in:
/// a part ends with a word that ends a sentence (`sentence_parts`), which
/// no cue crosses ("Não! Compartilhe" is not "não compartilhe"; "1.200"
/// is one part).
type Marked = (Vec<String>, Vec<usize>);

fn marked_words(text: &str) -> Marked {
    let (mut words, mut parts) = (Vec::new(), Vec::new());
    for (part, text) in sentence_parts(text).into_iter().enumerate() {
        for word in folded_words(text) {
            words.push(word);
            parts.push(part);
        }
    }
    (words, parts)
}

/// The parts of `text`, each ended by a word that ends a sentence as the
/// caption reader splits them (`transcript::ends_sentence`: "1.200" and a
/// mark inside a word do not).
fn sentence_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut at) = (0, 0);
    for piece in text.split_inclusive(char::is_whitespace) {
        at += piece.len();
        if crate::captions::transcript::ends_sentence(piece.trim_end()) {
            parts.push(&text[start..at]);
            start = at;
        }
    }
    if text[start..].chars().any(|c| !c.is_whitespace()) {
        parts.push(&text[start..]);
    }
    parts
}

/// Chat spells these words only ("n é vdd", "tdk benar"). Each is read
/// as the word it stands for, so that cues and their taking back are
/// read as written out: "n é vdd" refutes as "não é verdade" does, "n é
/// mentira" takes "mentira" back. Folded; only abbreviations that stand
/// for one word in every language the cues are in ("vdd" is "verdade" in
/// Portuguese, "verdad" in Spanish: `chat_word` reads the word before).
const CHAT_SPELLINGS: &[(&str, &str)] = &[
    // pt ("ñ" folds to "n")
    ("n", "nao"),
    ("vc", "voce"),
    ("vcs", "voces"),
    ("tb", "tambem"),
    ("tbm", "tambem"),
    ("msm", "mesmo"),
    ("td", "tudo"),
    ("mt", "muito"),
    ("mto", "muito"),
    // pt and es
    ("q", "que"),
    ("pq", "porque"),
    ("xq", "porque"),
    ("nd", "nada"),
    ("d", "de"),
    // es
    ("tmb", "tambien"),
    // id
    ("tdk", "tidak"),
    ("gk", "gak"),
    ("g", "gak"),
    ("bkn", "bukan"),
    ("jgn", "jangan"),
    ("bnr", "benar"),
    ("blm", "belum"),
    ("sdh", "sudah"),
    ("udh", "sudah"),
    ("yg", "yang"),
    ("dgn", "dengan"),
    ("krn", "karena"),
    ("tp", "tapi"),
    ("jd", "jadi"),
    ("klo", "kalau"),
    ("kalo", "kalau"),
    ("org", "orang"),
];

/// Spanish words after which "vdd" is "verdad" ("no es vdd").
const BEFORE_VERDAD: &[&str] = &["es", "sea", "la", "de", "era", "fue", "una"];

/// The word a folded chat spelling stands for, between the words `before`
/// and `after`. An "n" before a number is a number's sign ("n° 123").
fn chat_word(word: &str, before: Option<&str>, after: Option<&str>) -> Option<&'static str> {
    if word == "n" && after.is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    if word == "vdd" {
        let spanish = before.is_some_and(|b| BEFORE_VERDAD.contains(&b));
        return Some(if spanish { "verdad" } else { "verdade" });
    }
    CHAT_SPELLINGS
        .iter()
        .find(|(spelt, _)| *spelt == word)
        .map(|(_, meant)| *meant)
}

/// A laugh as the cues write it, however long it was typed: "kkkkkkk" is
/// "kkkk", "jajajajaja" "jaja", "wkwkwkwk" "wkwk" (a trailing letter of
/// the pair as often typed: "jajaj", "wkwkw").
fn laugh(word: &str) -> Option<&'static str> {
    if word.len() >= 4 && word.bytes().all(|b| b == b'k') {
        return Some("kkkk");
    }
    let repeats = |pair: &str| {
        let whole = word.len() - word.len() % 2;
        word.len() >= 4
            && word.as_bytes()[..whole]
                .chunks(2)
                .all(|chunk| chunk == pair.as_bytes())
            && (whole == word.len() || word.ends_with(&pair[..1]))
    };
    if repeats("ja") {
        Some("jaja")
    } else if repeats("wk") {
        Some("wkwk")
    } else {
        None
    }
}

/// The folded words of `text`, punctuation dropped (an apostrophe kept),
/// chat spellings read as their words (`CHAT_SPELLINGS`), laughs as the
/// cues write them (`laugh`). A negator a comma, semicolon or colon ends
/// keeps the mark ("nao,"), as it negates nothing after it: "Não, é
/// mentira que..." calls the claim false.
fn folded_words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let said: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    // Portuguese "jajá" ("soon") folds to the Spanish laugh "jaja".
    let soon = said.contains(&"jaja") && {
        let lower = text.to_lowercase();
        lower.contains("jajá") || lower.contains("jaja\u{301}")
    };
    let mut words: Vec<String> = Vec::with_capacity(said.len());
    for (at, word) in said.iter().enumerate() {
        let before = words.last().map(String::as_str);
        let meant = if soon && *word == "jaja" {
            "ja-ja"
        } else {
            chat_word(word, before, said.get(at + 1).copied())
                .or_else(|| laugh(word))
                .unwrap_or(word)
        };
        // Where the word ends in `folded`: `said` borrows from it.
        let end = word.as_ptr() as usize - folded.as_ptr() as usize + word.len();
        let ended = folded[end..].trim_start().starts_with([',', ';', ':']);
        if ended && (NEGATORS.contains(&meant) || meant == "no") {
            words.push(format!("{meant},"));
        } else {
            words.push(meant.to_string());
        }
    }
    words
}

/// Returns true when `phrase` occurs in `words` as consecutive words.
fn contains(words: &[String], phrase: &[&str]) -> bool {
    (0..words.len()).any(|at| starts_at(words, at, phrase))
}

/// Returns true when `phrase` occurs in `words` from `at`; a part ending
/// in `*` matches every word it starts.
fn starts_at(words: &[String], at: usize, phrase: &[&str]) -> bool {
    !phrase.is_empty()
        && words
            .get(at..at + phrase.len())
            .is_some_and(|run| run.iter().zip(phrase).all(|(a, b)| same_word(a, b)))
}

/// Returns true when `word` is `part`, or starts with it when `part` ends
/// in `*`, or is a year from 1950 to 2099 when `part` is `#`.
fn same_word(word: &str, part: &str) -> bool {
    if part == "#" {
        return word.len() == 4
            && word
                .parse::<u32>()
                .is_ok_and(|year| (1950..2100).contains(&year));
    }
    match part.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == part,
    }
}

/// Words that deny what follows them. Spanish "no" counts before a verb
/// ("no es falso") only: in Portuguese it is "in the" ("caiu no boato").
const NEGATORS: &[&str] = &[
    "nao", "nunca", "tidak", "bukan", "tak", "gak", "nggak", "enggak", "ga", "not", "never", "isn",
    "nenhum", "nenhuma", "ningun", "ninguna",
];

/// Words that link a denial to what it denies ("não é mentira").
const COPULAS: &[&str] = &["e", "es", "eh", "foi", "fue", "era", "is", "was", "adalah"];

/// Articles that may stand between a copula and a cue ("não é uma
/// mentira", "no es un bulo").
const ARTICLES: &[&str] = &["um", "uma", "un", "una"];

/// Words that report what others say ("a Globo diz que é fake"), and the
/// denials reported as cues ("o TSE negou que...").
const REPORTING: &[&str] = &[
    "diz", "dizem", "disse", "disseram", "fala", "falam", "falou", "falaram", "chama", "chamam",
    "dice", "dicen", "dijo", "dijeron", "llaman", "katanya", "bilang", "say", "says", "said",
    "call", "calls", "negou", "nega", "negaram", "negam", "nego", "niega", "negaron", "niegan",
];

/// The press and the checkers, as those who spread a claim distrust them:
/// "não acredite na Globo", "jangan percaya media", "no se dejen engañar
/// por los medios".
const PRESS: &[&str] = &[
    "midia",
    "imprensa",
    "globo",
    "jornal",
    "jornais",
    "jornalistas",
    "televisao",
    "medios",
    "prensa",
    "televisa",
    "periodistas",
    "noticieros",
    "media",
    "pers",
    "wartawan",
    "tv",
    "press",
    "msm",
    "medias",
    "presse",
    "agencias",
    "checadores",
    "verificadores",
    "checkers",
];

/// The first words of the cues that tell people not to believe, fall for
/// or pass something on ("não acredite", "no se dejen engañar", "jangan
/// percaya", "don't believe"): only these can be aimed at the press.
const WARNINGS: &[&str] = &["nao", "no", "jangan", "don't", "do"];

/// Words that may stand between a cue and the press it is aimed at.
const TOWARDS: &[&str] = &[
    "na", "no", "nas", "nos", "a", "o", "as", "os", "em", "pela", "pelo", "pelas", "pelos", "da",
    "do", "por", "en", "la", "las", "los", "el", "de", "del", "sama", "oleh", "di", "the", "in",
];

/// Words that turn a sentence against what came before in it.
const BUT: &[&str] = &["mas", "porem", "pero", "tapi", "tetapi", "padahal", "but"];

/// Spanish words before which "mas" is "más" (more), folded: "boletas de
/// más", "lo más", "es más".
const BEFORE_MAS: &[&str] = &[
    "de", "lo", "la", "el", "los", "las", "y", "o", "es", "mucho", "poco", "cada", "aun", "ya",
];

/// Returns true when `words[at]` turns its sentence: one of `BUT`, and
/// not Spanish "más" folded to Portuguese "mas".
fn turns(words: &[String], at: usize) -> bool {
    BUT.contains(&words[at].as_str())
        && !(words[at] == "mas"
            && at
                .checked_sub(1)
                .is_some_and(|before| BEFORE_MAS.contains(&words[before].as_str())))
}

/// Words saying that something goes on ("ainda", "sigue", "masih").
const STILL: &[&str] = &[
    "ainda",
    "continua",
    "continuam",
    "segue",
    "seguem",
    "sigue",
    "siguen",
    "todavia",
    "aun",
    "masih",
    "terus",
    "still",
    "keeps",
    "keep",
    "continues",
];

/// Beginnings of the words for believing and passing a story on:
/// "acredita", "compartilham", "circulando", "cree", "percaya",
/// "beredar", "shared".
const SPREAD: &[&str] = &[
    "acredit",
    "compartilh",
    "circul",
    "espalh",
    "rodand",
    "repass",
    "cree",
    "creyend",
    "compart",
    "difund",
    "viraliz",
    "percaya",
    "bered",
    "menyebar",
    "nyebar",
    "disebar",
    "dibagi",
    "viral",
    "believ",
    "shar",
    "spread",
];

/// The speaker and those with them: "mas eu ainda acredito" is the
/// speaker's belief, not others' going on. Not "nós", which folds to
/// Portuguese "nos" ("in the": "ainda circula nos grupos"), nor "me".
const FIRST_PERSON: &[&str] = &[
    "eu", "yo", "nosotros", "nosotras", "aku", "saya", "gue", "gw", "kami", "kita", "i", "we",
];

/// Returns true when what follows the turn at `at` says that others
/// still believe or pass the story on ("mas muita gente ainda acredita",
/// "pero sigue circulando", "tapi ... masih beredar"): a debunker's
/// regret, not a spreader's answer to the check reported before it.
fn still_spread(words: &[String], at: usize) -> bool {
    let after = &words[at + 1..];
    (0..after.len()).any(|still| {
        STILL.contains(&after[still].as_str())
            && (still + 1..after.len().min(still + 4)).any(|verb| {
                SPREAD.iter().any(|stem| after[verb].starts_with(stem))
                    && !after[..verb]
                        .iter()
                        .any(|w| FIRST_PERSON.contains(&w.as_str()))
            })
    })
}

/// Returns true when the cue of `len` words at `at` is taken back: denied
/// ("não é mentira", "bukan hoaks", "no es falso", "no es ningún
/// invento"), reported and then contradicted ("dizem que é fake, mas...",
/// "dicen que es falso pero...", "o TSE negou que..., mas"), or aimed at
/// the press ("não acredite na Globo"): all are how those who spread a
/// claim insist on it.
fn taken_back((words, parts): &Marked, at: usize, len: usize) -> bool {
    // What comes before the cue, in its part: "Não. É mentira" denies nothing.
    let before = |back: usize| {
        at.checked_sub(back)
            .filter(|&i| parts[i] == parts[at])
            .map(|i| words[i].as_str())
    };
    let is = |word: Option<&str>, list: &[&str]| word.is_some_and(|w| list.contains(&w));
    // Spanish "no" denies before a copula ("no es falso"); in Portuguese
    // "no" is "in the", never before one.
    let negates = |word: Option<&str>| is(word, NEGATORS) || word == Some("no");
    // An article between the copula and the cue: "no es un bulo".
    let copula = if is(before(1), ARTICLES) { 2 } else { 1 };
    let denied = is(before(1), NEGATORS)
        || (COPULAS.contains(&words[at].as_str()) && negates(before(1)))
        || (is(before(copula), COPULAS) && negates(before(copula + 1)));
    let after = &words[at + len..];
    let reported = ((1..=3).any(|back| is(before(back), REPORTING))
        || REPORTING.contains(&words[at].as_str()))
        && (at + len..words.len()).any(|i| turns(words, i) && !still_spread(words, i));
    let at_press = WARNINGS.contains(&words[at].as_str())
        && after
            .iter()
            .take(3)
            .position(|w| PRESS.contains(&w.as_str()))
            .is_some_and(|press| after[..press].iter().all(|w| TOWARDS.contains(&w.as_str())));
    denied || reported || at_press
}

#[cfg(test)]
mod tests {
    use super::*;

    const URNAS: &str = "As urnas eletrônicas podem ser hackeadas pela internet durante a votação";

    /// Asserts that `text` refutes `claim`, `cue` among the words that
    /// decided it.
    fn assert_refutes_by(text: &str, claim: &str, cue: &str) {
        let (read, cues) = stance(text, claim);
        assert_eq!(read, Stance::Refutes, "{text}");
        assert!(cues.iter().any(|c| c == cue), "{text}: {cues:?}");
    }

    #[test]
    fn calling_a_claim_false_refutes_it_in_each_language() {
        // Written for this test.
        let refuting = [
            "isso é fake, as urnas eletrônicas não podem ser hackeadas pela internet",
            "É mentira que as urnas eletrônicas podem ser hackeadas pela internet",
            "Es falso que las urnas pueden ser hackeadas por internet durante la votación",
            "hoaks! katanya surat suara bisa diretas lewat internet, jangan percaya",
            "No, voting machines cannot be hacked over the internet, that claim was debunked",
            "C'est faux : les machines à voter ne sont pas connectées à internet",
        ];
        for text in refuting {
            let (stance, cues) = stance(text, URNAS);
            assert_eq!(stance, Stance::Refutes, "{text}");
            assert!(!cues.is_empty());
        }
    }

    #[test]
    fn repeating_or_doubting_is_not_refuting() {
        let (repeats, cues) = stance(
            "Atenção: as urnas eletrônicas podem ser hackeadas pela internet durante a votação, compartilhe!",
            URNAS,
        );
        assert_eq!((repeats, cues.len()), (Stance::Repeats, 0));
        let (doubt, cues) = stance(
            "me mandaram que as urnas podem ser hackeadas pela internet, não sei se é verdade",
            URNAS,
        );
        assert_eq!(doubt, Stance::Unclear);
        assert_eq!(cues, ["nao sei se e verdade"]);
    }

    #[test]
    fn the_words_of_fact_checkers_verdicts_and_denials_refute() {
        // Written for this test: how checks and creators word a verdict.
        for (text, cue) in [
            (
                "Essa história das urnas hackeadas pela internet é desinformação",
                "desinformacao",
            ),
            (
                "É enganoso o post que diz que as urnas podem ser hackeadas",
                "enganoso",
            ),
            (
                "O TSE desmentiu que as urnas podem ser hackeadas pela internet",
                "desment*",
            ),
            (
                "Isso nunca aconteceu, as urnas não são hackeadas pela internet",
                "nunca aconteceu",
            ),
            (
                "El INE desmintió que las urnas puedan ser hackeadas por internet",
                "desmint*",
            ),
            (
                "Es engañoso: las urnas no se pueden hackear por internet",
                "enganoso",
            ),
            (
                "Itu berita palsu, surat suara tidak bisa diretas lewat internet",
                "berita palsu",
            ),
            (
                "KPU membantah mesin bisa diretas lewat internet",
                "membantah",
            ),
            (
                "Klaim itu menyesatkan, mesin tidak terhubung ke internet",
                "menyesatkan",
            ),
            (
                "Sem comprovação nenhuma esse vídeo das urnas hackeadas",
                "sem comprovacao",
            ),
            (
                "El audio del hackeo de las urnas fue hecho con inteligencia artificial",
                "hech* con inteligencia artificial",
            ),
            (
                "Lo de las urnas hackeadas es una parodia de una cuenta de humor",
                "es una parodia",
            ),
            (
                "Mesin diretas lewat internet itu cuma isu dari orang iseng",
                "cuma isu",
            ),
        ] {
            assert_refutes_by(text, URNAS, cue);
        }
    }

    #[test]
    fn a_cue_read_around_the_claim_counts_once_and_not_across_sentences() {
        let (stance, cues) = stance_around(
            &[
                "as urnas eletrônicas podem ser hackeadas pela internet",
                "isso é mentira",
                "é mentira mesmo, inventado",
            ],
            URNAS,
            None,
        );
        assert_eq!(stance, Stance::Refutes);
        // "inventado" is listed for Portuguese and for Spanish.
        assert_eq!(cues, ["e mentira", "mentira", "inventado"]);
        // "não" ending one sentence and "é verdade" opening the next are
        // not "não é verdade".
        let (stance, _) = stance_around(
            &[
                "as urnas eletrônicas podem ser hackeadas pela internet? não",
                "é verdade, compartilhe",
            ],
            URNAS,
            None,
        );
        assert_eq!(stance, Stance::Repeats);
    }

    #[test]
    fn a_cue_denied_or_reported_and_contradicted_does_not_refute() {
        // Written for this test: how those who spread a claim insist on it.
        for text in [
            "Não é mentira não, as urnas eletrônicas podem ser hackeadas pela internet",
            "A Globo diz que é fake, mas as urnas eletrônicas podem ser hackeadas pela internet",
            "Dicen que es falso pero las urnas sí pueden ser hackeadas por internet",
            "Bukan hoaks, mesin bisa diretas lewat internet saat pemungutan suara",
            "No es ningún invento, las urnas pueden ser hackeadas por internet",
            "No es mentira, las urnas pueden ser hackeadas por internet",
            "No es falso: las urnas pueden ser hackeadas por internet",
            "Esto no es un bulo, las urnas pueden ser hackeadas por internet",
            "Não é uma mentira, as urnas eletrônicas podem ser hackeadas pela internet",
            "O TSE negou que as urnas podem ser hackeadas pela internet, mas eu vi acontecer",
            // Aimed at the press, not at the claim.
            "Não acredite na Globo: as urnas eletrônicas podem ser hackeadas pela internet",
            "No se dejen engañar por los medios, las urnas pueden ser hackeadas por internet",
            "Jangan percaya media, mesin bisa diretas lewat internet saat pemungutan suara",
        ] {
            assert_eq!(stance(text, URNAS).0, Stance::Repeats, "{text}");
        }
        // The same words aimed at the claim refute it.
        for text in [
            "Não acredite nessa corrente de que as urnas podem ser hackeadas pela internet",
            "O TSE negou que as urnas podem ser hackeadas pela internet durante a votação",
            // Spanish "más" (more) folds to Portuguese "mas" (but): no turn.
            "Dicen que es falso que las urnas pueden ser hackeadas por internet, es lo más sensato",
            // A verdict followed by the press that reported it.
            "É mentira, a mídia já mostrou que as urnas não podem ser hackeadas pela internet",
        ] {
            assert_eq!(stance(text, URNAS).0, Stance::Refutes, "{text}");
        }
        // A "no" a comma ends answers; the verdict after it stands.
        for (text, cue) in [
            (
                "Não, é mentira que as urnas eletrônicas podem ser hackeadas pela internet",
                "e mentira",
            ),
            (
                "No, es falso que las urnas pueden ser hackeadas por internet",
                "es falso",
            ),
        ] {
            assert_refutes_by(text, URNAS, cue);
        }
        // A debunk that reports the claim, then calls it false, refutes.
        let (read, cues) = stance(
            "Dizem que as urnas podem ser hackeadas pela internet, mas é mentira",
            URNAS,
        );
        assert_eq!(read, Stance::Refutes);
        assert!(cues.contains(&"e mentira".to_string()));
    }

    #[test]
    fn a_picture_said_to_be_doctored_refutes_and_votes_said_to_be_do_not() {
        // Written for this test.
        let foto =
            "Foto mostra a zerésima de uma seção de Salvador com 37 votos antes da abertura.";
        for (text, cue) in [
            (
                "A imagem foi manipulada, a zerésima de Salvador saiu zerada",
                "imagem foi manipulada",
            ),
            (
                "Ese video fue alterado, la zerésima de Salvador salió en cero",
                "video fue alterado",
            ),
            (
                "foto zerésima Salvador itu gambar rekayasa",
                "gambar rekayasa",
            ),
        ] {
            assert_refutes_by(text, foto, cue);
        }
        for text in [
            // What those who spread a fraud claim say, and a picture
            // further from the word than a doctoring is said.
            "Os votos de Salvador foram manipulados, a zerésima já tinha 37 votos",
            "O vídeo mostra que os votos foram manipulados em Salvador",
            "El video del candidato alterado gritando que la zerésima tenía 37 votos",
            // The doctoring denied.
            "A foto não foi editada: a zerésima de Salvador já tinha 37 votos",
        ] {
            assert_eq!(stance(text, foto).0, Stance::Repeats, "{text}");
        }
        // A claim that a picture was doctored is not refuted by saying so.
        let editado = "Vídeo editado mostra a zerésima de Salvador com 37 votos.";
        assert_eq!(
            stance("o vídeo foi editado e a zerésima tinha 37 votos", editado).0,
            Stance::Repeats
        );
    }

    #[test]
    fn a_claims_negator_reaches_over_what_content_reaches_over_and_verbs_of_being_able() {
        for language in ["pt", "es", "id", "en"] {
            let both: Vec<&str> = [reached_over(language), able_of(language)].concat();
            assert_eq!(over_ability_of(language), both.as_slice(), "{language}");
        }
    }

    #[test]
    fn the_contrary_in_the_checks_words_affirms_what_it_denies() {
        // Written for this test.
        let pindah = "Warga Balikpapan yang pindah domisili tidak bisa memilih sama sekali meskipun sudah mengurus surat pindah memilih.";
        let idosos = "Eleitores com mais de 70 anos não poderão votar nas eleições municipais.";
        let extranjero = "Los mexicanos que viven en el extranjero no pueden votar por gobernador.";
        let otra = "Si te equivocás al marcar la boleta no te dan otra y tu voto queda anulado.";
        let outra = "Quem errar o voto no papel não te dão outra cédula e o voto é anulado.";
        for (text, claim, language) in [
            (
                "yang pindah domisili ke Balikpapan bisa urus surat pindah memilih di PPS",
                pindah,
                "id",
            ),
            (
                "quem tem mais de 70 anos pode votar sim, só não é obrigado",
                idosos,
                "pt",
            ),
            (
                "desde el extranjero se puede votar por gobernador en varios estados",
                extranjero,
                "es",
            ),
            // Past any verb: the three words after the claim's negator,
            // one of them in another form.
            (
                "si te equivocás con la boleta le avisás al presidente de mesa y te da otra",
                otra,
                "es",
            ),
            ("o mesário te dá outra cédula se você errar", outra, "pt"),
            // A word of one letter in the phrase is said as it is.
            (
                "chegou depois das 17h com a fila aberta? o mesário deixa o eleitor votar sim",
                "Depois das 17h o mesário não deixa o eleitor votar, mesmo com a fila aberta.",
                "pt",
            ),
            // The word or two that end the claim's clause, said word for
            // word.
            (
                "di pontianak kalau coblosnya tembus dua lubang di gambar yang sama tetap sah kata petugas",
                "Di Pontianak, surat suara yang dicoblos dua kali pada gambar calon yang sama dianggap tidak sah.",
                "id",
            ),
            // Something else said to be enough.
            (
                "bansos beras di garut dibagikan ke warga DTKS, cukup bawa KTP dan kartu keluarga",
                "Bansos beras di Kabupaten Garut hanya dibagikan kepada warga yang membawa kartu anggota partai penguasa.",
                "id",
            ),
            (
                "en neuquén los chicos de 16 y 17 pueden votar y solo llevan el dni",
                "En Neuquén los chicos de 16 y 17 años que votan por primera vez tienen que llevar una autorización firmada por los padres.",
                "es",
            ),
        ] {
            assert!(affirms_what_it_denies(text, claim, language), "{text}");
        }
        for (text, claim, language) in [
            // Spreaders keep the negator, typed as they type it.
            (
                "yang baru pindah ke Balikpapan tetap nggak bisa nyoblos",
                pindah,
                "id",
            ),
            (
                "yg pindah ke balikpapan g bisa milih walau udh urus surat",
                pindah,
                "id",
            ),
            // Said and denied: the denial is the claim's.
            (
                "kata petugas bisa urus surat pindah, tapi tetap tidak bisa memilih",
                pindah,
                "id",
            ),
            // No verb of being able, or a claim that denies none.
            (
                "idoso acima de 70 anos está proibido de votar",
                idosos,
                "pt",
            ),
            (
                "quem pode votar com RG antigo?",
                "Quem votar com RG antigo vai levar uma multa de R$ 300.",
                "pt",
            ),
            // The claim's phrase with its negator, or with another.
            (
                "si le errás no te dan otra boleta, voto anulado",
                otra,
                "es",
            ),
            ("ojo que nunca te dan otra", otra, "es"),
            // One word of the phrase, or two: not the phrase.
            ("te dan la boleta en la mesa", otra, "es"),
            // Denied under a condition, the claim denies nothing there.
            (
                "quem votar perde o benefício",
                "Quem não votar perde o benefício do programa.",
                "pt",
            ),
            (
                "vai pagar multa quem votar de boné",
                "Vai pagar multa quem não votar.",
                "pt",
            ),
            // The clause's last word said with the negator.
            (
                "di pontianak coblos dua kali di gambar yang sama gak sah",
                "Di Pontianak, surat suara yang dicoblos dua kali pada gambar calon yang sama dianggap tidak sah.",
                "id",
            ),
            // What the claim names said to be enough.
            (
                "di garut cukup bawa kartu anggota partai penguasa langsung dapat beras",
                "Bansos beras di Kabupaten Garut hanya dibagikan kepada warga yang membawa kartu anggota partai penguasa.",
                "id",
            ),
        ] {
            assert!(!affirms_what_it_denies(text, claim, language), "{text}");
        }
    }

    #[test]
    fn denying_what_the_claim_states_refutes_it_in_its_own_language() {
        // Written for this test.
        let chip =
            "Urnas eletrônicas enviadas para Manaus têm um chip escondido que altera os votos.";
        let multa = "A multa para quem não votar nem justificar subiu para R$ 1.200.";
        let rg = "RG emitido há mais de dez anos não será aceito nas seções eleitorais.";
        let tinta = "Los marcadores de las casillas de Toluca tienen una tinta que se borra a las pocas horas.";
        let kk = "KPU mewajibkan pemilih membawa fotokopi Kartu Keluarga ke TPS, kalau tidak, pemilih ditolak.";
        for (text, claim, language, cue) in [
            (
                "calma, as urnas de Manaus não têm chip nenhum",
                chip,
                "pt",
                "nao tem chip",
            ),
            (
                "los marcadores de Toluca no tienen tinta que se borre",
                tinta,
                "es",
                "no tienen tinta",
            ),
            (
                "KPU tidak mewajibkan fotokopi Kartu Keluarga dibawa ke TPS",
                kk,
                "id",
                "tidak mewajibkan",
            ),
            (
                "KPU tidak pernah mewajibkan fotokopi Kartu Keluarga",
                kk,
                "id",
                "tidak pernah mewajibkan",
            ),
            // The future said with "ir a".
            // What a claim takes away, said not to be taken away, and
            // what it says of the reason.
            (
                "o voto dos idosos não é proibido, é facultativo",
                "Idosos com mais de 70 anos que forem votar serão multados, porque o voto é proibido para eles.",
                "pt",
                "nao e proibido",
            ),
            (
                "calma que o TSE não vai proibir ninguém de tirar passaporte",
                "O TSE vai cancelar o título de quem não fizer a biometria, e essas pessoas ficarão proibidas de tirar passaporte.",
                "pt",
                "nao vai proibir",
            ),
            (
                "tidak ada pembatalan, pemungutan suara ulang di Papua tetap jalan",
                "Pemungutan suara ulang di Papua dibatalkan karena KPU kehabisan anggaran.",
                "id",
                "tidak ada",
            ),
            (
                "KPU tidak kehabisan anggaran untuk pemungutan suara ulang",
                "Pemungutan suara ulang di Papua dibatalkan karena KPU kehabisan anggaran.",
                "id",
                "tidak kehabisan",
            ),
            (
                "tranquilos, Gobernación no va a organizar la elección presidencial",
                "Una consejera del INE renunció y ahora la elección la va a organizar la Secretaría de Gobernación.",
                "es",
                "no va a organizar",
            ),
            // "Nobody" denies too.
            (
                "nadie le quita el subsidio del Metro por votar por la oposición",
                "En Medellín le van a quitar el subsidio de transporte del Metro a quien vote por la oposición.",
                "es",
                "nadie le quita",
            ),
            (
                "calma, ninguém vai cancelar teu título por causa da biometria",
                "O TSE vai cancelar o título de quem não fizer a biometria até março.",
                "pt",
                "ninguem vai cancelar",
            ),
            // Pronouns between the negator and its verb.
            (
                "las multas de tránsito no tienen que ver, el INE no te la quita por eso",
                "En Querétaro el INE le va a quitar la credencial para votar a quien tenga multas de tránsito sin pagar.",
                "es",
                "no te la quita",
            ),
            (
                "tranquilos, el INE no se la va a quitar a nadie por las multas",
                "En Querétaro el INE le va a quitar la credencial para votar a quien tenga multas de tránsito sin pagar.",
                "es",
                "no se la va a quitar",
            ),
            // "None" between the negator and what it denies.
            (
                "con el DNI vencido votás igual, no hay ninguna multa",
                "Si votás con el DNI vencido tu voto no se cuenta y además te cobran una multa.",
                "es",
                "no hay ninguna multa",
            ),
            (
                "relaxa, não tem nenhuma multa pra quem vota com RG antigo",
                "Quem votar com RG antigo vai levar uma multa de R$ 300.",
                "pt",
                "nao tem nenhuma multa",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}");
            assert!(cues.iter().any(|c| c == cue), "{text}: {cues:?}");
        }
        for (text, claim, language) in [
            // The claim denies it too, under a condition, or past a comma.
            (
                "a multa de quem não votar subiu para 1.200 reais",
                multa,
                "pt",
            ),
            ("o RG antigo não será aceito na seção, tira outro", rg, "pt"),
            // Past a verb of being able ("ya no podrá votar").
            (
                "en Mérida las casillas cierran a las dos de la tarde por el calor y el que llegue después ya no vota",
                "En Mérida las casillas van a cerrar a las 2 de la tarde por el calor, y quien llegue después ya no podrá votar.",
                "es",
            ),
            // What the claim takes away, said to be gone.
            (
                "pemerintah batalkan libur pilkada, jadi pekerja tidak bisa libur",
                "Pemerintah membatalkan libur nasional pada hari pencoblosan pilkada.",
                "id",
            ),
            (
                "com o nome sujo no Serasa você não vota até pagar",
                "Quem está com o nome sujo no Serasa fica proibido de votar até quitar as dívidas.",
                "pt",
            ),
            (
                "en Chiapas no habrá elección este domingo",
                "El INE canceló la elección de este domingo en Chiapas.",
                "es",
            ),
            // All of what it takes away, and what a passive takes away
            // before it.
            (
                "sem biometria não tem passaporte pra ninguém",
                "O TSE vai cancelar o título de quem não fizer a biometria, e essas pessoas ficarão proibidas de tirar passaporte.",
                "pt",
            ),
            (
                "vovô de mais de setenta anos não vota mais, é proibido",
                "Idosos com mais de 70 anos que forem votar serão multados, porque o voto é proibido para eles.",
                "pt",
            ),
            (
                "los que viven afuera ya no votan",
                "Con la nueva ley, el voto en el extranjero queda prohibido.",
                "es",
            ),
            (
                "desde afuera ya nadie vota, quedó prohibido",
                "Con la nueva ley, el voto en el extranjero queda prohibido.",
                "es",
            ),
            // Advice drawn from the claim.
            (
                "el voto en blanco se le suma al que sale primero, así que no votes en blanco",
                "El voto en blanco se le suma al candidato que sale primero en la elección.",
                "es",
            ),
            (
                "o voto em branco vai pro primeiro colocado, então não vote em branco",
                "O voto em branco é somado ao candidato que está em primeiro lugar.",
                "pt",
            ),
            (
                "jadi tidak ada pemungutan suara ulang di Papua",
                "Pemungutan suara ulang di Papua dibatalkan karena KPU kehabisan anggaran.",
                "id",
            ),
            // A negation made a noun: the fine for not voting.
            ("a multa por não votar subiu para 1.200 reais", multa, "pt"),
            // The claim's negation said without its condition, or what
            // it says there is none of.
            (
                "deram título pros venezuelanos que não são naturalizados",
                "Venezuelanos sem naturalização receberam título de eleitor em Boa Vista.",
                "pt",
            ),
            // "Nor" in content insists.
            (
                "deram título pros venezuelanos que nem são naturalizados",
                "Venezuelanos receberam título de eleitor em Boa Vista sem serem naturalizados.",
                "pt",
            ),
            (
                "não votou e não justificou? agora é mil e duzentos de multa",
                multa,
                "pt",
            ),
            (
                "no votaste en el balotaje? te llega una multa de 50.000 pesos",
                "Quien no vaya a votar en el balotaje recibirá una multa de 50.000 pesos.",
                "es",
            ),
            (
                "la multa por no votar sube a 50.000 pesos en el balotaje",
                "Quien no vaya a votar en el balotaje recibirá una multa de 50.000 pesos.",
                "es",
            ),
            (
                "pemilih ditolak di TPS karena tidak membawa fotokopi Kartu Keluarga",
                kk,
                "id",
            ),
            (
                "kalau gak bawa fotokopi Kartu Keluarga ke TPS bakal ditolak",
                kk,
                "id",
            ),
            ("não, as urnas de Manaus têm chip sim", chip, "pt"),
            // A negation that reaches no word of the claim.
            (
                "o TSE não quer que você saiba: as urnas de Manaus têm chip",
                chip,
                "pt",
            ),
        ] {
            assert_eq!(
                stance_around(&[text], claim, Some(language)).0,
                Stance::Repeats,
                "{text}"
            );
        }
        // Read only in the claim's language.
        let across = stance_around(&["as urnas de Manaus não têm chip"], tinta, None);
        assert_eq!(across.0, Stance::Repeats);
    }

    #[test]
    fn no_cue_runs_across_a_sentence_mark() {
        // How those who spread a claim go on: not "não compartilhe".
        let (read, cues) = stance(
            "as urnas eletrônicas podem ser hackeadas pela internet. E a imprensa mostrou? Não! Compartilhe",
            URNAS,
        );
        assert_eq!((read, cues.len()), (Stance::Repeats, 0), "{cues:?}");
        // A "não" that ends the sentence before denies nothing after it.
        assert_refutes_by(
            "Gente, não. É mentira que as urnas eletrônicas podem ser hackeadas pela internet.",
            URNAS,
            "e mentira",
        );
        // A number's dot is no sentence mark.
        assert_refutes_by(
            "a multa de R$ 1.200 é mentira, as urnas eletrônicas podem ser hackeadas pela internet não",
            URNAS,
            "e mentira",
        );
    }

    #[test]
    fn the_claim_asked_and_answered_no_is_refuted() {
        // Written for this test.
        let recibo = "Nesta eleição a urna vai imprimir um comprovante com o voto de cada eleitor, para levar para casa.";
        let casillas = "El INE instalará casillas dentro de tiendas de conveniencia para votar mientras haces tus compras.";
        assert_refutes_by(
            "a urna vai imprimir seu voto pra você levar pra casa? Não, gente. O voto é secreto",
            recibo,
            "? nao",
        );
        assert_refutes_by(
            "¿El INE va a poner casillas en tiendas de conveniencia? Claro que no, amigos.",
            casillas,
            "? claro que no",
        );
        assert_refutes_by(
            "casillas del INE en tiendas de conveniencia? No, las casillas van en escuelas",
            casillas,
            "? no",
        );
        // "No way", as people say it, only as an answer.
        assert_refutes_by(
            "¿casillas del INE en tiendas de conveniencia? ni de chiste, van en escuelas",
            casillas,
            "? ni de chiste",
        );
        assert_refutes_by(
            "urna vai imprimir um comprovante do voto pra levar pra casa? nem a pau.",
            recibo,
            "? nem a pau",
        );
        // A number's dot ends no question.
        assert_refutes_by(
            "a urna vai imprimir seu voto pra levar pra casa em 1.500 seções? Não.",
            recibo,
            "? nao",
        );
        // Over two sentences of a video.
        let (read, cues) = stance_around(
            &[
                "a urna vai imprimir o comprovante do voto pra levar pra casa?",
                "Não.",
            ],
            recibo,
            None,
        );
        assert_eq!((read, cues), (Stance::Refutes, vec!["? nao".to_string()]));
        for text in [
            // A question that is not the claim, answered no: how those who
            // spread it go on.
            "a urna vai imprimir o voto pra levar pra casa. E a imprensa mostrou isso? Não! Acorda, Brasil",
            // Not a bare no.
            "a urna vai imprimir seu voto pra você levar pra casa? Não sei, mas vou guardar o meu",
            // No question.
            "a urna vai imprimir seu voto pra você levar pra casa. Não esqueça de guardar",
        ] {
            assert_eq!(stance(text, recibo).0, Stance::Repeats, "{text}");
        }
    }

    #[test]
    fn a_picture_dated_as_old_refutes_and_one_said_to_be_new_does_not() {
        // Written for this test: recycled pictures as debunks date them.
        let chip = "Urnas eletrônicas enviadas para Manaus têm um chip de Bluetooth escondido.";
        let tinta = "Los marcadores de las casillas de Toluca tienen una tinta que se borra.";
        let psu = "Bawaslu memerintahkan pemungutan suara ulang di seluruh TPS Kota Semarang.";
        for (text, claim, cue) in [
            (
                "Esse vídeo das urnas de Manaus com chip de Bluetooth é antigo, gente",
                chip,
                "video e antigo",
            ),
            (
                "Ese video de los marcadores de Toluca con tinta que se borra es de 2018",
                tinta,
                "video es de 2018",
            ),
            (
                "Rekaman PSU di seluruh TPS Kota Semarang itu direkam pada tahun 2019",
                psu,
                "rekaman direkam pada tahun 2019",
            ),
        ] {
            assert_refutes_by(text, claim, cue);
        }
        for (text, claim) in [
            // A picture's year without saying it is its age, a day that is
            // not a year, the age denied, and the age in another sentence.
            (
                "Esse vídeo de 2022 mostra as urnas de Manaus com chip de Bluetooth",
                chip,
            ),
            (
                "O vídeo é de hoje: urnas de Manaus com chip de Bluetooth escondido!",
                chip,
            ),
            (
                "Los marcadores de Toluca tienen tinta que se borra, y el video no es viejo",
                tinta,
            ),
            (
                "Mira el video. Los marcadores de Toluca tienen tinta que se borra, es de 2018 la ley",
                tinta,
            ),
        ] {
            assert_eq!(stance(text, claim).0, Stance::Repeats, "{text}");
        }
        // A photocopy is no photograph, and "e" between years joins them.
        let kk = "KPU mewajibkan pemilih membawa fotokopi Kartu Keluarga ke TPS.";
        let cartao =
            "Vídeo mostra homem abrindo uma urna e trocando o cartão de memória em Contagem.";
        for (text, claim) in [
            (
                "KPU wajibkan bawa fotokopi Kartu Keluarga ke TPS, aturan dari tahun 2019 sudah diubah",
                kk,
            ),
            (
                "Esse vídeo mostra o homem trocando o cartão de memória da urna, fraude de 2014 e de 2018 de novo",
                cartao,
            ),
        ] {
            assert_eq!(stance(text, claim).0, Stance::Repeats, "{text}");
        }
        // A claim about that year's count is not refuted by a video of it.
        let contagem = "Em 2018 a contagem de votos de Manaus foi alterada por um chip.";
        assert_eq!(
            stance(
                "o vídeo é de 2018 e mostra o chip alterando os votos",
                contagem
            )
            .0,
            Stance::Repeats
        );
    }

    #[test]
    fn a_claim_reported_going_round_then_set_straight_is_refuted() {
        // Written for this test: how checks open and go on.
        let kk = "KPU mewajibkan pemilih membawa fotokopi Kartu Keluarga ke TPS.";
        let recibo = "Nesta eleição a urna vai imprimir um comprovante com o voto de cada eleitor.";
        let casillas = "El INE instalará casillas dentro de tiendas de conveniencia.";
        for (text, claim, cue) in [
            (
                "Beredar pesan bahwa KPU mewajibkan fotokopi Kartu Keluarga ke TPS. Faktanya, cukup bawa e-KTP.",
                kk,
                "beredar faktanya",
            ),
            (
                "Circula nas redes que a urna vai imprimir um comprovante com o voto. O TSE esclarece que isso não acontece.",
                recibo,
                "circula esclarece",
            ),
            (
                "Circula en redes que el INE instalará casillas en tiendas de conveniencia. En realidad, las casillas van en escuelas.",
                casillas,
                "circula en realidad",
            ),
        ] {
            assert_refutes_by(text, claim, cue);
        }
        // Over two sentences of a video.
        let (read, _) = stance_around(
            &[
                "Tá circulando que a urna vai imprimir um comprovante com o voto.",
                "Na verdade o voto é secreto.",
            ],
            recibo,
            None,
        );
        assert_eq!(read, Stance::Refutes);
        for text in [
            // Going round, and passed on.
            "Beredar kabar KPU mewajibkan fotokopi Kartu Keluarga ke TPS, sebarkan ke grup keluarga!",
            // The correction's word in the sentence that reports: how
            // those who spread a claim insist.
            "Beredar kabar KPU mewajibkan fotokopi Kartu Keluarga ke TPS, faktanya memang begitu.",
            // Set straight with no report of it going round.
            "KPU mewajibkan fotokopi Kartu Keluarga ke TPS. Faktanya begitu, bawa semua!",
        ] {
            assert_eq!(stance(text, kk).0, Stance::Repeats, "{text}");
        }
        // The clearing-up denied.
        let denied = "Circula nas redes que a urna vai imprimir um comprovante com o voto. O TSE não esclareceu nada!";
        assert_eq!(stance(denied, recibo).0, Stance::Repeats);
    }

    #[test]
    fn a_tall_story_called_so_in_each_region_refutes() {
        // Written for this test: how Brazilians, Mexicans, Colombians,
        // Argentines and Indonesians wave a story away.
        let serasa = "Quem está com o nome sujo no Serasa fica proibido de votar.";
        let boletas = "El INE mandó imprimir 20 millones de boletas de más.";
        let multa = "Quien no vote en el balotaje va a recibir una multa de 50.000 pesos.";
        let honor = "Honor petugas KPPS naik menjadi Rp 5 juta per orang.";
        for (text, claim, cue) in [
            (
                "Urna de Manaus com chip pra mudar voto à distância? Papo furado, gente.",
                URNAS,
                "papo furado",
            ),
            (
                "essa de que nome sujo no Serasa não vota é balela",
                serasa,
                "balela",
            ),
            (
                "Que el INE mandó imprimir 20 millones de boletas de más es un cuento chino",
                boletas,
                "cuento chino",
            ),
            (
                "lo de las boletas de más es pura carreta, no coman cuento",
                boletas,
                "pura carreta",
            ),
            (
                "lo de los 20 millones de boletas de más es puro choro",
                boletas,
                "es puro choro",
            ),
            (
                "la multa de 50 lucas si no votás en el balotaje es puro verso",
                multa,
                "puro verso",
            ),
            (
                "Honor KPPS naik jadi Rp 5 juta? Itu omong kosong",
                honor,
                "omong kosong",
            ),
            (
                "honor KPPS 5 juta itu isapan jempol",
                honor,
                "isapan jempol",
            ),
            (
                "Honor KPPS naik jadi 5 juta? ngarang aja",
                honor,
                "ngarang aja",
            ),
        ] {
            assert_refutes_by(text, claim, cue);
        }
        // Denied, or the same words in Portuguese, where "puro choro"
        // is the other side's whining.
        for (text, claim) in [
            (
                "o INE mandou imprimir 20 milhões de cédulas a mais, o resto é puro choro",
                boletas,
            ),
            // An accusation, and a rumour passed on.
            (
                "KPU ngarang, honor petugas KPPS naik jadi Rp 5 juta per orang",
                honor,
            ),
            (
                "ada kabar burung honor petugas KPPS naik jadi Rp 5 juta per orang",
                honor,
            ),
            (
                "não é balela, gente: com o nome sujo no Serasa você fica proibido de votar",
                serasa,
            ),
            (
                "no es ningún cuento chino: el INE mandó imprimir 20 millones de boletas de más",
                boletas,
            ),
        ] {
            assert_eq!(stance(text, claim).0, Stance::Repeats, "{text}");
        }
    }

    #[test]
    fn a_laugh_reads_the_same_however_long_it_was_typed() {
        // Written for this test: mockery as it is typed.
        for (text, cue) in [
            (
                "as urnas eletrônicas podem ser hackeadas pela internet kkkkkkkkk",
                "kkkk",
            ),
            (
                "las urnas pueden ser hackeadas por internet jajajajajaj",
                "jaja",
            ),
            ("surat suara bisa diretas lewat internet wkwkwkwkw", "wkwk"),
        ] {
            assert_refutes_by(text, URNAS, cue);
        }
        // "Jajá" is "soon" in Portuguese.
        assert_eq!(
            stance(
                "jajá as urnas eletrônicas podem ser hackeadas pela internet",
                URNAS
            )
            .0,
            Stance::Repeats
        );
        // Three k's are a name, not a laugh.
        assert_eq!(
            stance(
                "o kkk apoia: as urnas eletrônicas podem ser hackeadas pela internet",
                URNAS
            )
            .0,
            Stance::Repeats
        );
    }

    #[test]
    fn a_verdict_written_as_a_label_refutes() {
        // Written for this test: how checkers and creators label a
        // retelling (brackets and emoji are cleaned away before stance).
        let tka = "Ratusan tenaga kerja asing di Morowali sudah punya e-KTP dan ikut mencoblos.";
        for (sentences, claim) in [
            (
                &["FAKE: as urnas eletrônicas podem ser hackeadas pela internet"][..],
                URNAS,
            ),
            (
                &["Fake! As urnas eletrônicas podem ser hackeadas pela internet"],
                URNAS,
            ),
            (
                &["SALAH Ratusan tenaga kerja asing di Morowali ikut mencoblos"],
                tka,
            ),
            (
                &["Ngarang! Ratusan tenaga kerja asing di Morowali ikut mencoblos"],
                tka,
            ),
            (
                &[
                    "As urnas eletrônicas podem ser hackeadas pela internet.",
                    "Fake.",
                ],
                URNAS,
            ),
            (
                &["Katanya tenaga kerja asing di Morowali ikut mencoblos. Ngarang! itu foto lain"],
                tka,
            ),
        ] {
            let (read, cues) = stance_around(sentences, claim, None);
            assert_eq!(read, Stance::Refutes, "{sentences:?}");
            assert!(cues[0].ends_with(':'), "{cues:?}");
        }
        // The same words that are no label.
        for (text, claim) in [
            (
                "Fake news da Globo! As urnas eletrônicas podem ser hackeadas pela internet",
                URNAS,
            ),
            (
                "SALAH SATU TPS DI MOROWALI: RATUSAN TENAGA KERJA ASING IKUT MENCOBLOS",
                tka,
            ),
            (
                "salah satu TPS di Morowali, ratusan tenaga kerja asing ikut mencoblos",
                tka,
            ),
        ] {
            assert_eq!(stance(text, claim).0, Stance::Repeats, "{text}");
        }
    }

    #[test]
    fn a_check_reported_and_called_a_lie_is_the_claim_repeated() {
        // Written for this test: those who spread a claim answer its
        // check by reporting it and calling it false.
        let chip = "Urnas eletrônicas enviadas para Manaus têm um chip de Bluetooth escondido que permite alterar os votos.";
        let tni = "Anggota TNI kini boleh ikut mencoblos di pilkada serentak.";
        let boletas = "El INE mandó imprimir 20 millones de boletas de más para rellenar urnas.";
        for (sentences, claim, language) in [
            (
                &[
                    "O TSE diz que as urnas de Manaus não têm chip.",
                    "Papo furado!",
                    "O chip de Bluetooth altera os votos à distância.",
                ][..],
                chip,
                "pt",
            ),
            (
                &[
                    "A Globo falou que é fake o chip das urnas de Manaus. Mentira! O chip altera os votos.",
                ],
                chip,
                "pt",
            ),
            (
                &[
                    "KPU bilang anggota TNI tidak boleh mencoblos, omong kosong, mereka sudah ikut mencoblos di pilkada serentak",
                ],
                tni,
                "id",
            ),
            (
                &[
                    "El INE dice que no imprimió boletas de más. Puro cuento: mandaron imprimir 20 millones.",
                ],
                boletas,
                "es",
            ),
            // Reported by whom it is according to, not by a verb.
            (
                &["Segundo o TSE, as urnas de Manaus não têm chip. Mentira! Tem chip sim."][..],
                chip,
                "pt",
            ),
            (
                &["Según el INE, no imprimió boletas de más. ¡Puro cuento!"],
                boletas,
                "es",
            ),
            (
                &[
                    "Menurut KPU anggota TNI tidak boleh mencoblos. Omong kosong, aturannya sudah diubah",
                ],
                tni,
                "id",
            ),
        ] {
            let (read, cues) = stance_around(sentences, claim, Some(language));
            assert_eq!(read, Stance::Repeats, "{sentences:?}: {cues:?}");
        }
        // A check reported and a verdict on the claim: the debunk stands.
        for (text, claim, language) in [
            // The report is of the claim, not of a denial.
            (
                "Dizem que as urnas de Manaus têm chip de Bluetooth. Mentira!",
                chip,
                "pt",
            ),
            // An authority's denial reported, then a warning.
            (
                "El INE dice que es falso que imprimió boletas de más. No compartan.",
                boletas,
                "es",
            ),
            // What is reported as denied is not what the claim states.
            (
                "Dizem que as urnas não são seguras. Mentira! Nenhum chip altera votos em Manaus.",
                chip,
                "pt",
            ),
            // The claim called a rumour after the check reported.
            (
                "Segundo o TSE, as urnas de Manaus não têm chip nenhum, é tudo boato",
                chip,
                "pt",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}: {cues:?}");
        }
    }

    #[test]
    fn a_check_reported_while_the_story_still_spreads_refutes() {
        // Written for this test: debunkers regret that a checked story
        // goes on; those who spread it answer the check with their own
        // belief or their own proof.
        let chip = "Urnas eletrônicas enviadas para Manaus têm um chip de Bluetooth escondido.";
        let boletas = "El INE mandó imprimir 20 millones de boletas de más para rellenar urnas.";
        let tni = "Anggota TNI kini boleh ikut mencoblos di pilkada serentak.";
        for (text, claim, language) in [
            (
                "O TSE diz que é falso, mas muita gente ainda acredita no chip das urnas de Manaus",
                chip,
                "pt",
            ),
            (
                "O TSE diz que é mentira, mas nos grupos ainda circula que as urnas de Manaus têm chip",
                chip,
                "pt",
            ),
            (
                "El INE dice que es falso, pero mucha gente todavía cree que imprimieron 20 millones de boletas de más",
                boletas,
                "es",
            ),
            (
                "KPU bilang itu hoaks, tapi masih banyak yang percaya anggota TNI boleh mencoblos",
                tni,
                "id",
            ),
            (
                "Bawaslu bilang hoaks, tapi kabar anggota TNI boleh mencoblos di pilkada masih beredar",
                tni,
                "id",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}: {cues:?}");
        }
        for (text, claim, language) in [
            (
                "A Globo diz que é fake, mas eu ainda acredito: as urnas de Manaus têm chip",
                chip,
                "pt",
            ),
            (
                "A Globo disse que é fake, mas eu vi o chip nas urnas de Manaus",
                chip,
                "pt",
            ),
            (
                "El INE dijo que es falso, pero mandó imprimir 20 millones de boletas de más",
                boletas,
                "es",
            ),
            (
                "Dicen que es falso, pero es la verdad: el INE mandó imprimir 20 millones de boletas de más",
                boletas,
                "es",
            ),
            (
                "Katanya hoaks, tapi faktanya anggota TNI sekarang boleh mencoblos di pilkada",
                tni,
                "id",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Repeats, "{text}: {cues:?}");
        }
    }

    #[test]
    fn a_verdict_asked_and_answered_by_the_speakers_witness_is_scorn() {
        // Written for this test.
        let chip = "Urnas eletrônicas enviadas para Manaus têm um chip de Bluetooth escondido.";
        let boletas = "El INE mandó imprimir 20 millones de boletas de más para rellenar urnas.";
        for (text, claim, language) in [
            (
                "Mentira? Eu vi tudo: as urnas de Manaus têm chip.",
                chip,
                "pt",
            ),
            (
                "¿Falso? Yo vi las boletas de más que mandó imprimir el INE.",
                boletas,
                "es",
            ),
            (
                "É mentira? Eu estava lá: as urnas de Manaus têm chip.",
                chip,
                "pt",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Repeats, "{text}: {cues:?}");
        }
        // Asked and answered by a verdict, or a verdict inside a
        // question the speaker then backs.
        for (text, claim, language) in [
            (
                "Vocês sabiam que o chip das urnas de Manaus é mentira? Eu chequei no site do TSE.",
                chip,
                "pt",
            ),
            (
                "Mentira? Sim, é mentira: as urnas de Manaus não têm chip.",
                chip,
                "pt",
            ),
            (
                "Fake? Claro que é fake, as urnas de Manaus não têm chip.",
                chip,
                "pt",
            ),
            (
                "¿Falso? Falsísimo: el INE no mandó imprimir boletas de más.",
                boletas,
                "es",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}: {cues:?}");
        }
    }

    #[test]
    fn a_report_is_named_by_whom_it_is_according_to_not_by_second() {
        let starts = |text: &str| according_to(&folded_words(text));
        for text in [
            "Segundo o TSE",
            "Según el INE",
            "Menurut KPU",
            "de acordo com a Justiça Eleitoral",
            "According to the county",
        ] {
            assert!(starts(text), "{text}");
        }
        for text in [
            "Segundo turno",
            "No segundo turno, segundo o TSE",
            "Menurut",
        ] {
            assert!(!starts(text), "{text}");
        }
    }

    #[test]
    fn a_claims_verb_said_as_an_order_is_a_warning_not_a_denial() {
        // Written for this test.
        let bone = "Eleitor que for votar de boné ou chapéu terá o voto anulado pelo mesário.";
        let dni = "Si votás con el DNI vencido tu voto no se cuenta y además te cobran una multa.";
        let dos_dias = "El balotaje se votará en dos días según la terminación del DNI.";
        for (text, claim, language) in [
            ("não votem de boné que o mesário anula", bone, "pt"),
            ("gente, não vote de chapéu, anulam", bone, "pt"),
            (
                "no voten con el DNI vencido que no cuenta el voto",
                dni,
                "es",
            ),
            ("no votes con DNI vencido, te cobran multa", dni, "es"),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Repeats, "{text}: {cues:?}");
        }
        // Said as it is, the verb denied is a denial.
        for (text, claim, language) in [
            (
                "ninguém vota de boné? vota sim, não anulam nada",
                bone,
                "pt",
            ),
            ("no se vota en dos días, es un solo domingo", dos_dias, "es"),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}: {cues:?}");
        }
    }

    #[test]
    fn an_answer_in_the_languages_own_way_refutes_what_was_just_said() {
        // Written for this test.
        let palmas = "O TRE do Tocantins decidiu adiar a eleição em Palmas por uma semana.";
        let luz =
            "Uma queda de energia em Londrina desligou as urnas e os votos dados foram perdidos.";
        let jember = "Surat suara di Kabupaten Jember dicetak dua kali lipat dari jumlah pemilih.";
        let ternate =
            "Pemilih di Kota Ternate yang tidak membawa undangan C6 tidak boleh mencoblos.";
        let cases = [
            (
                "ainda tem gente mandando que a eleição em palmas foi adiada, não foi não",
                palmas,
                "pt",
                "nao foi nao",
            ),
            (
                // Speech recognition writes no comma before the answer.
                "ainda tem gente mandando que a eleição em palmas foi adiada não foi não",
                palmas,
                "pt",
                "nao foi nao",
            ),
            (
                "falaram que faltou luz em londrina e os votos sumiram, sumiram nada, a urna tem bateria",
                luz,
                "pt",
                "sumiram nada",
            ),
            (
                "katanya surat suara jember dicetak dua kali lipat, itu ngarang, sisanya cuma sedikit",
                jember,
                "id",
                "itu ngarang",
            ),
            (
                "info kalau di ternate tanpa undangan c6 ditolak itu salah, bawa ektp cukup",
                ternate,
                "id",
                "itu salah",
            ),
            (
                "surat suara jember dicetak dua kali lipat? itu jelas salah besar",
                jember,
                "id",
                "itu jelas salah besar",
            ),
            // Months later, the verb said again in another form, and
            // what never was pointed back at.
            (
                "até hoje falam do apagão de londrina que sumiu com os votos, sumiram nada, a urna tem bateria",
                luz,
                "pt",
                "sumiram nada",
            ),
            (
                "um ano depois ainda mandam que a eleição em palmas foi adiada, isso nunca existiu gente",
                palmas,
                "pt",
                "nunca existiu gente",
            ),
            // What the clause ends by saying never was.
            (
                "o tal adiamento da eleição em palmas nunca existiu gente",
                palmas,
                "pt",
                "nunca existiu gente",
            ),
            (
                "lo de la elección aplazada en Palmas no existió",
                "El tribunal decidió aplazar la elección en Palmas por una semana.",
                "es",
                "no existio",
            ),
            (
                "surat suara jember dicetak dua kali lipat itu tidak pernah terjadi",
                jember,
                "id",
                "tidak pernah terjadi",
            ),
        ];
        for (text, claim, language, cue) in cases {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}");
            assert_eq!(cues, [cue], "{text}");
        }
        for (text, claim, language) in [
            // The answer echoes another clause's verb, or is plain negation.
            (
                "a eleição em Palmas foi adiada? foi sim, e o TSE não fez nada",
                palmas,
                "pt",
            ),
            (
                "a eleição em palmas foi adiada e o tse não falou nada",
                palmas,
                "pt",
            ),
            // Doubt, not an answer.
            (
                "a eleição em palmas foi adiada, vai ter segundo turno? não sei não",
                palmas,
                "pt",
            ),
            // An echo of nothing the claim states.
            ("o TRE vai investigar a falta de luz? vai nada", luz, "pt"),
            // The authority's word called wrong, and "salah" before a word.
            (
                "kpu bilang di ternate ektp cukup tanpa undangan c6, itu salah, petugas tetap menolak",
                ternate,
                "id",
            ),
            (
                "surat suara jember dicetak dua kali lipat, itu salah satu kecurangan",
                jember,
                "id",
            ),
            (
                "surat suara jember dicetak dua kali lipat, itu salah kpu",
                jember,
                "id",
            ),
            // "Never" that insists rather than denies.
            (
                "adiaram a eleição em palmas, coisa assim nunca existiu",
                palmas,
                "pt",
            ),
            (
                "adiaram a eleição em palmas como nunca existiu na história",
                palmas,
                "pt",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Repeats, "{text}: {cues:?}");
        }
    }

    #[test]
    fn whoever_says_the_claim_called_a_liar_refutes_it_and_the_authorities_called_liars_do_not() {
        // Written for this test.
        let corrige = "Eleitor que digitar o número errado pode corrigir o voto depois de apertar o confirma.";
        let boletas = "En Rosario tiraron miles de boletas de un partido a la basura.";
        let ktp = "Bawaslu menemukan 5 ribu KTP palsu yang dipakai memilih dua kali.";
        for (text, claim, cue) in [
            (
                "apertou confirma já era, quem diz isso tá mentindo",
                corrige,
                "quem diz isso ta mentindo",
            ),
            (
                "dá pra corrigir depois do confirma? quem fala isso mente",
                corrige,
                "quem fala isso mente",
            ),
            (
                "¿boletas en la basura en Rosario? miente quien diga eso",
                boletas,
                "miente quien diga",
            ),
            (
                "lo de las boletas en Rosario, el que anda diciendo eso está mintiendo",
                boletas,
                "que anda diciendo eso",
            ),
            (
                "KTP palsu dari mana, yang bilang gitu ngibul",
                ktp,
                "yang bilang gitu ngibul",
            ),
        ] {
            let (read, cues) = stance(text, claim);
            assert_eq!(read, Stance::Refutes, "{text}");
            assert!(cues.iter().any(|c| c.starts_with(cue)), "{text}: {cues:?}");
        }
        for text in [
            // Those who spread a claim call the authorities liars.
            "o TSE tá mentindo pra vocês, dá pra corrigir o voto sim depois do confirma",
            "el INE miente, tiraron las boletas en Rosario y lo dijo un fiscal",
            // Saying and lying too far apart to be one phrase.
            "quem disse que dá pra corrigir foi o mesário, e o TSE tá mentindo",
            // Those who deny the claim called liars.
            "quem diz que não dá pra corrigir tá mentindo, corrige sim",
            "miente quien diga que no se puede corregir el voto",
        ] {
            assert_eq!(stance(text, corrige).0, Stance::Repeats, "{text}");
        }
    }

    #[test]
    fn chat_spellings_are_read_as_the_words_written_out() {
        // Written for this test: debunks as creators type them.
        let chip = "As urnas eletrônicas de Manaus têm um chip escondido.";
        let kk = "KPU mewajibkan pemilih membawa fotokopi Kartu Keluarga ke TPS.";
        let boletas = "Si marcas la boleta con una palomita, anulan tu voto.";
        for (text, claim, cue) in [
            (
                "gnt isso n é vdd, as urnas n tem nada, n compartilhem",
                URNAS,
                "nao e verdade",
            ),
            ("ñ acreditem nisso, ñ caiam", URNAS, "nao acreditem"),
            (
                "no es vdd q si marcas la boleta con palomita la anulan",
                boletas,
                "no es verdad",
            ),
            (
                "jgn percaya, tdk benar KPU wajibkan fotokopi KK",
                kk,
                "jangan percaya",
            ),
            ("g bener itu, jgn disebar", kk, "gak bener"),
            // "Don't believe it" with the pronoun between.
            (
                "no le crean a esa cadena de la palomita en la boleta",
                boletas,
                "no le crean",
            ),
        ] {
            assert_refutes_by(text, claim, cue);
        }
        // Denials: "n têm chip", "tdk mewajibkan".
        for (text, claim, language, denial) in [
            (
                "as urnas de Manaus n têm chip nenhum",
                chip,
                "pt",
                "nao tem chip",
            ),
            (
                "KPU tdk mewajibkan fotokopi Kartu Keluarga",
                kk,
                "id",
                "tidak mewajibkan",
            ),
        ] {
            let (read, cues) = stance_around(&[text], claim, Some(language));
            assert_eq!(read, Stance::Refutes, "{text}");
            assert!(cues.iter().any(|c| c == denial), "{text}: {cues:?}");
        }
        // A number's sign is no "não": the caption repeats the claim.
        assert_eq!(
            stance_around(
                &["foto da urna n° 12 escondida com chip em Manaus"],
                chip,
                Some("pt")
            )
            .0,
            Stance::Repeats
        );
        // Taken back, or under a condition, as when written out.
        assert_eq!(
            stance(
                "n é mentira, as urnas podem ser hackeadas pela internet",
                URNAS
            )
            .0,
            Stance::Repeats
        );
        assert_eq!(
            stance_around(
                &["KPU wajibkan bawa fotokopi Kartu Keluarga, klo gk bawa ditolak"],
                kk,
                Some("id")
            )
            .0,
            Stance::Repeats
        );
    }

    #[test]
    fn a_cue_the_claim_itself_holds_says_nothing() {
        let claim = "A montagem das urnas de Manaus foi feita por técnicos estrangeiros";
        let (stance, _) = stance(
            "olha isso: a montagem das urnas de Manaus foi feita por técnicos estrangeiros",
            claim,
        );
        assert_eq!(stance, Stance::Repeats);
        // A cue standing for the words it starts: the claim's form of the
        // word is enough.
        let claim = "O TSE desmentiu a auditoria e escondeu o relatório das Forças Armadas";
        let (read, _) = super::stance(
            "o TSE desmente a auditoria e esconde o relatório das Forças Armadas",
            claim,
        );
        assert_eq!(read, Stance::Repeats);
    }
}
