//! Whether a sentence could be about an election: the cheap test that
//! decides whether the encoder runs on it. Most captions on a platform are
//! about cooking, football or make-up; embedding them costs milliseconds
//! and can find nothing a partner checked.
//!
//! A sentence passes when one of its words (folded: no case, no accents)
//! starts with a stem of election talk in the partners' languages
//! (Portuguese, Spanish, Indonesian, English, French): voting, ballots,
//! machines, counting, candidates, offices, electoral bodies, fraud. Short
//! stems and acronyms (`tse`, `kpu`, `tps`) must be whole words. The
//! lexical stage's own candidates are the other way in (see
//! `Matcher::add_semantic`): a claim about something else is still found
//! by meaning when its words are partly there.
//!
//! Written for this project from the vocabulary of the partners' claims
//! and of how creators say them (offices, councils, polls, rallies, the
//! booth, the count, Indonesian candidacy words, being elected again, the
//! legislature, regional races). On `multilingual-dev`
//! (docs/encoder.md) 110 of 120 same-language captions, 40 of 45
//! crosslingual ones and 28 of 30 refutations pass on their words alone,
//! and none of the 60 everyday lines of `bench --synthetic-mixed`; the
//! others speak only in images ("a máquina zera tudo", "la maquinita
//! pita") and get in when their words found a claim partly.

use crate::text::fold;

/// Stems matched at the start of a word, and phrases (words in a row,
/// the last one a stem). Stems that start everyday words are left out or
/// written as phrases: "elec" starts "eléctrico", "poll" starts "pollo",
/// "partido" is a football match in Spanish, "mesin" any engine, "cámara"
/// a camera ("na câmara" is a council), "prep" a meal.
const STEMS: &[&str] = &[
    // Voting and elections.
    "vot",
    "elei",
    "eleccion",
    "elector",
    "election",
    "electoral",
    "electeur",
    "sufrag",
    "scrutin",
    "comici",
    "plebisc",
    "referend",
    "pemilu",
    "pilkada",
    "pilpres",
    "pileg",
    "pemilih",
    "memilih",
    "coblos",
    "nyoblos",
    "dicoblos",
    "mencoblos",
    "pencoblos",
    "hak suara",
    "bilik suara",
    "jari bertinta",
    "isoloir",
    "segunda rodada",
    "ballot",
    "segundo turno",
    "primeiro turno",
    "primer turno",
    "segunda vuelta",
    "balotaje",
    // Ballots, machines, counting.
    "urna",
    "biombo",
    "cedula",
    "kertas suara",
    "conteo",
    "recuento",
    "preliminar",
    "quick count",
    "real count",
    "tally",
    "precinct",
    "absentee",
    "mail in",
    "drop box",
    "urne",
    "boleta",
    "cedula eleitoral",
    "papeleta",
    "bulletin de vote",
    "tarjeton",
    "zeresima",
    "boletim de urna",
    "apuracao",
    "escrutin",
    "tabulat",
    "recount",
    "depouill",
    "hitung cepat",
    "penghitungan suara",
    "rekapitulasi",
    "sirekap",
    "surat suara",
    "kotak suara",
    "mesin pemungutan",
    "maquina de vot",
    "maquininha",
    "voting machine",
    "machine a voter",
    "machines a voter",
    "dominion",
    "smartmatic",
    "biometria",
    "titulo de eleitor",
    "titulo eleitoral",
    "padron",
    "empadron",
    "mesari",
    "casilla",
    "scrutateur",
    // Candidates, parties, offices.
    "candidat",
    "calon",
    "nyalon",
    "pencalon",
    "paslon",
    "vereador",
    "concejal",
    "regidor",
    "cabildo",
    "gubernatura",
    "na camara",
    "camara municipal",
    "curul",
    "depute",
    "palanque",
    "mitin",
    "campanha",
    "pesquisa eleitoral",
    "instituto de pesquisa",
    "sondeo",
    "encuesta",
    "tribunal",
    "kandidat",
    "capres",
    "cawapres",
    "caleg",
    "partai",
    "campanha eleitoral",
    "kampanye",
    "campaign",
    "presiden",
    "prefeit",
    "alcald",
    "gubernur",
    "bupati",
    "walikota",
    "governad",
    "gobernad",
    "governor",
    "senad",
    "senat",
    "deputad",
    "diputad",
    "congress",
    "parlamen",
    // The booth, the table's officials and the campaign team, as
    // Argentine and Indonesian voters name them; abstaining.
    "cuarto oscuro",
    "fiscal de mesa",
    "fiscales de mesa",
    "pemungutan suara",
    "timses",
    "tim sukses",
    "golput",
    // Being elected again, standing, and the words for offices and
    // bodies the lists above missed: the Argentine mayor ("intendente"),
    // Indonesian regional and village elections and the running mate,
    // the legislature in every partner language ("legislativo",
    // "legislatif", "législatives"), Mexico's electoral tribunal and
    // state institutes, Brazil's clean-record law and the count's
    // totalling. "eleg" alone would pass "elegante"; "reel" "reels".
    "reelei",
    "reeleg",
    "reelec",
    "reelu",
    "inelegi",
    "ficha limpa",
    "totalizacao",
    "e titulo",
    "mesa receptora",
    "carreata",
    "intendent",
    "jefe de gobierno",
    "consulta popular",
    "revocacion de mandato",
    "legisla",
    "pilgub",
    "pilwalkot",
    "pilbup",
    "pilkades",
    "dapil",
    "contreng",
    // Colombia's first count, Mexico's voters bussed in, Brazil's best
    // known pollsters, Indonesia's campaign billboards and vote buying
    // by its English name.
    "preconteo",
    "acarread",
    "acarreo",
    "datafolha",
    "quaest",
    "baliho",
    "money politic",
    "wali kota",
    "wakil rakyat",
    "mahkamah konstitusi",
    "midterm",
    "caucus",
    "gerrymander",
    "swing state",
    // Fraud.
    "fraud",
    "curang",
    "rigged",
    "hack",
    "trapac",
    "politik uang",
    "serangan fajar",
    // Electoral bodies.
    "registradur",
    "bawaslu",
    "justica eleitoral",
];

/// Words a stem starts that are not election talk.
const NOT: &[&str] = &["votre", "vos"];

/// Acronyms and short words that count only as whole words.
const WORDS: &[&str] = &[
    "tse",
    "tre",
    "ine",
    "cne",
    "kpu",
    "kpps",
    "dprd",
    "tps",
    "dpt",
    "dpr",
    "evm",
    "fec",
    "pri",
    "psdb",
    "morena",
    "lula",
    "bolsonaro",
    "amlo",
    "milei",
    "petro",
    "prabowo",
    "jokowi",
    "trump",
    "biden",
    "poll",
    "polls",
    "polling",
    "wapres",
    "dpd",
    "edil",
    "ediles",
    "tepjf",
    "trife",
    "ople",
];

/// Whether `text` holds a word of election talk.
pub fn about_elections(text: &str) -> bool {
    let folded = fold(text);
    let words: Vec<&str> = crate::text::words(&folded).collect();
    let stems_hit = STEMS.iter().any(|stem| match stem.split_once(' ') {
        // A phrase: its words in a row, the last one as a stem.
        Some(_) => {
            let parts: Vec<&str> = stem.split(' ').collect();
            words.windows(parts.len()).any(|run| {
                run.iter().zip(&parts).enumerate().all(|(i, (word, part))| {
                    if i + 1 == parts.len() {
                        word.starts_with(part)
                    } else {
                        word == part
                    }
                })
            })
        }
        None => words
            .iter()
            .any(|w| w.starts_with(stem) && !NOT.contains(w)),
    });
    stems_hit || words.iter().any(|w| WORDS.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn election_talk_passes_in_every_partner_language_and_everyday_talk_does_not() {
        for text in [
            "a maquininha já vem configurada pra jogar o seu voto pro atual prefeito",
            "olha essa foto da zerésima de uma seção de Salvador",
            "las boletas ya venían marcadas en las escuelas",
            "Jutaan surat suara sudah dicoblos sebelum hari H",
            "KPU bilang hasilnya sudah final",
            "they found thousands of ballots in a dumpster",
            "le dépouillement a été truqué à Marseille",
            "o TSE escondeu o código-fonte",
            "o cara que quer ser vereador deu dentadura em troca de apoio",
            "yang nyalon dewan bagi-bagi kambing, asal dicoblos",
            "según el último sondeo ya ganó la gubernatura",
            "la página del conteo preliminar se cayó tres horas",
            "en el cuarto oscuro no había nada de mi partido",
            "los fiscales de mesa se llevaron los sobres a su casa",
            "timsesnya bagi-bagi amplop di gang sebelah",
            "mending golput aja deh tahun ini",
            "se ele conseguir a reeleição acabou o país",
            "ese señor ya va por su reelección y nadie dice nada",
            "el intendente mandó a sus punteros a repartir bolsones",
            "a lei da ficha limpa caiu e agora ele pode concorrer",
            "pas pilgub kemarin wapres sendiri yang turun tangan",
            "di dapil sebelah suaranya digelembungkan",
            "pas wali kota baru dilantik semua proyek dihentikan",
            "le parti a perdu les législatives à cause des procurations",
            "they are trying to gerrymander the whole state again",
            "el preconteo de Bogotá no cuadra, algo raro pasó",
            "trajeron a los acarreados en camiones desde temprano",
            "saiu o Datafolha e o cara caiu cinco pontos",
            "balihonya dipasang di depan masjid, padahal dilarang",
            "di kampung saya money politic sudah biasa",
        ] {
            assert!(about_elections(text), "{text}");
        }
        for text in [
            "Hoje vamos fazer um bolo de chocolate com só quatro ingredientes.",
            "¡Qué golazo en el último minuto del partido!",
            "Hari ini kita bikin kue cokelat cuma pakai empat bahan.",
            "My dog learned to open the fridge by himself.",
            "Déballage du nouveau téléphone, regardez cette caméra.",
            "Precalienta el horno eléctrico y prepara el pollo.",
            "Abriendo la caja del celular nuevo, miren esta cámara.",
            "Sunday meal prep: five lunches in one hour.",
            "N'oubliez pas de liker et de vous abonner à votre chaîne.",
            "Esse vestido é simples mas muito elegante.",
            "Olha esses reels que eu gravei na praia.",
            "Las paso a buscar a la escuela a las ocho.",
            "Comprei uma mesa nova para o escritório.",
        ] {
            assert!(!about_elections(text), "{text}");
        }
    }

    #[test]
    fn the_everyday_captions_of_the_benchmarks_mix_run_no_encoder() {
        // `bench --synthetic-mixed` measures the cost of the nine captions
        // in ten that are about something else; any of them passing the
        // gate would make that figure a measure of the encoder instead.
        for lines in crate::synthetic::EVERYDAY {
            for line in lines {
                assert!(!about_elections(line), "{line}");
            }
        }
    }
}
