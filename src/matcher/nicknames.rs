//! Places named by nickname: creators say "a Ilha do Amor", "La Feliz",
//! "la Arenosa", "kota Pahlawan" or "a capital paranaense" where a
//! fact-check writes São Luís, Mar del Plata, Barranquilla, Surabaya or
//! Curitiba. Two checks of one falsehood in two cities differ by the city
//! alone (`siblings.rs`), and the small encoder does not know most of
//! these names; so the usual names of the places a text names by nickname
//! are read beside it: in the words that tell siblings apart and in the
//! text the encoder embeds. The excerpt shown keeps the creator's words.
//!
//! Written here from common knowledge of the partners' countries (Brazil,
//! Mexico, Colombia, Argentina, Indonesia): cities' nicknames, capitals
//! named by their state's demonym ("a capital gaúcha", "la capital
//! tapatía") and "the capital of <state>" in Portuguese, Spanish and
//! Indonesian ("capital do Amazonas", "ibu kota Jateng"). Nicknames that are everyday phrases ("la
//! nevera", Bogotá, is also the fridge; "solo", Surakarta, is "alone" in
//! Spanish and Portuguese) are left out.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use crate::text::{fold, words};

/// (nickname, the place's usual name). Nicknames are folded words.
const NICKNAMES: &[(&str, &str)] = &[
    // Brazil.
    ("soteropolis", "Salvador"),
    ("cidade maravilhosa", "Rio de Janeiro"),
    ("terra da garoa", "São Paulo"),
    ("sampa", "São Paulo"),
    ("bh", "Belo Horizonte"),
    ("beaga", "Belo Horizonte"),
    ("poa", "Porto Alegre"),
    ("floripa", "Florianópolis"),
    ("ilha da magia", "Florianópolis"),
    ("veneza brasileira", "Recife"),
    ("cidade das mangueiras", "Belém"),
    ("ilha do amor", "São Luís"),
    ("jamaica brasileira", "São Luís"),
    ("cidade verde", "Teresina"),
    ("cidade do sol", "Natal"),
    ("cidade morena", "Campo Grande"),
    ("capital do agreste", "Caruaru"),
    ("princesa do sertao", "Feira de Santana"),
    ("manchester catarinense", "Joinville"),
    ("maior cidade de sc", "Joinville"),
    ("maior cidade catarinense", "Joinville"),
    ("capital federal", "Brasília"),
    ("capital paulista", "São Paulo"),
    ("capital carioca", "Rio de Janeiro"),
    ("capital fluminense", "Rio de Janeiro"),
    ("capital mineira", "Belo Horizonte"),
    ("capital baiana", "Salvador"),
    ("capital gaucha", "Porto Alegre"),
    ("capital paranaense", "Curitiba"),
    ("capital catarinense", "Florianópolis"),
    ("capital pernambucana", "Recife"),
    ("capital cearense", "Fortaleza"),
    ("capital paraense", "Belém"),
    ("capital amazonense", "Manaus"),
    ("capital maranhense", "São Luís"),
    ("capital piauiense", "Teresina"),
    ("capital potiguar", "Natal"),
    ("capital paraibana", "João Pessoa"),
    ("capital alagoana", "Maceió"),
    ("capital sergipana", "Aracaju"),
    ("capital capixaba", "Vitória"),
    ("capital goiana", "Goiânia"),
    ("capital mato grossense", "Cuiabá"),
    ("capital matogrossense", "Cuiabá"),
    ("capital sul mato grossense", "Campo Grande"),
    ("capital tocantinense", "Palmas"),
    ("capital rondoniense", "Porto Velho"),
    ("capital acreana", "Rio Branco"),
    ("capital roraimense", "Boa Vista"),
    ("capital amapaense", "Macapá"),
    ("cidade sorriso", "Curitiba"),
    ("cidade das pontes", "Recife"),
    ("rainha da borborema", "Campina Grande"),
    ("manchester mineira", "Juiz de Fora"),
    // Mexico.
    ("chilangolandia", "Ciudad de México"),
    ("capital tapatia", "Guadalajara"),
    ("capital poblana", "Puebla"),
    ("capital yucateca", "Mérida"),
    ("capital regiomontana", "Monterrey"),
    ("capital potosina", "San Luis Potosí"),
    ("capital queretana", "Querétaro"),
    ("capital oaxaquena", "Oaxaca"),
    ("capital chiapaneca", "Tuxtla Gutiérrez"),
    ("capital tabasquena", "Villahermosa"),
    ("capital sonorense", "Hermosillo"),
    ("capital sinaloense", "Culiacán"),
    ("capital michoacana", "Morelia"),
    ("capital veracruzana", "Xalapa"),
    ("capital hidalguense", "Pachuca"),
    ("capital mexiquense", "Toluca"),
    ("capital zacatecana", "Zacatecas"),
    ("capital coahuilense", "Saltillo"),
    ("capital guerrerense", "Chilpancingo"),
    ("perla tapatia", "Guadalajara"),
    ("sultana del norte", "Monterrey"),
    ("la angelopolis", "Puebla"),
    ("ciudad blanca", "Mérida"),
    ("tierra jarocha", "Veracruz"),
    ("puerto jarocho", "Veracruz"),
    ("bella airosa", "Pachuca"),
    // Colombia.
    ("la arenosa", "Barranquilla"),
    ("puerta de oro de colombia", "Barranquilla"),
    ("sucursal del cielo", "Cali"),
    ("eterna primavera", "Medellín"),
    ("la heroica", "Cartagena"),
    ("corralito de piedra", "Cartagena"),
    ("ciudad bonita", "Bucaramanga"),
    ("perla del otun", "Pereira"),
    ("capital antioquena", "Medellín"),
    ("capital paisa", "Medellín"),
    ("capital vallecaucana", "Cali"),
    ("capital santandereana", "Bucaramanga"),
    ("capital risaraldense", "Pereira"),
    ("capital caldense", "Manizales"),
    ("capital tolimense", "Ibagué"),
    ("capital huilense", "Neiva"),
    ("capital boyacense", "Tunja"),
    ("capital narinense", "Pasto"),
    // Argentina.
    ("la feliz", "Mar del Plata"),
    ("capital cordobesa", "Córdoba"),
    ("capital santafesina", "Santa Fe"),
    ("capital mendocina", "Mendoza"),
    ("capital tucumana", "San Miguel de Tucumán"),
    ("capital saltena", "Salta"),
    ("capital bonaerense", "La Plata"),
    ("capital neuquina", "Neuquén"),
    ("capital entrerriana", "Paraná"),
    ("capital chaquena", "Resistencia"),
    ("capital misionera", "Posadas"),
    ("capital correntina", "Corrientes"),
    ("capital jujena", "San Salvador de Jujuy"),
    ("la docta", "Córdoba"),
    ("cuna de la bandera", "Rosario"),
    ("ciudad de las diagonales", "La Plata"),
    ("reina del plata", "Buenos Aires"),
    ("jardin de la republica", "Tucumán"),
    // Indonesia.
    ("big durian", "Jakarta"),
    ("kota pahlawan", "Surabaya"),
    ("kota kembang", "Bandung"),
    ("paris van java", "Bandung"),
    ("kota gudeg", "Yogyakarta"),
    ("kota pelajar", "Yogyakarta"),
    ("jogja", "Yogyakarta"),
    ("kota lumpia", "Semarang"),
    ("kota atlas", "Semarang"),
    ("kota hujan", "Bogor"),
    ("kota daeng", "Makassar"),
    ("kota apel", "Malang"),
    ("kota bengawan", "Surakarta"),
    ("kota bawang", "Brebes"),
    ("kota bawang merah", "Brebes"),
    ("kota telur asin", "Brebes"),
    ("kota minyak", "Balikpapan"),
    ("kota tepian", "Samarinda"),
    ("kota seribu sungai", "Banjarmasin"),
    ("kota serambi mekkah", "Banda Aceh"),
    ("kota batik", "Pekalongan"),
    ("kota udang", "Cirebon"),
    ("kota pempek", "Palembang"),
];

/// States, departments and provinces whose capital a text may name as
/// "the capital of" them: the words of each way of saying "capital of"
/// in the country's language, the region (folded words) and its capital.
const CAPITAL_OF: &[(&[&str], &str, &str)] = &[
    (BR, "acre", "Rio Branco"),
    (BR, "alagoas", "Maceió"),
    (BR, "amapa", "Macapá"),
    (BR, "amazonas", "Manaus"),
    (BR, "bahia", "Salvador"),
    (BR, "ceara", "Fortaleza"),
    (BR, "espirito santo", "Vitória"),
    (BR, "goias", "Goiânia"),
    (BR, "maranhao", "São Luís"),
    (BR, "mato grosso", "Cuiabá"),
    (BR, "mato grosso do sul", "Campo Grande"),
    (BR, "minas", "Belo Horizonte"),
    (BR, "minas gerais", "Belo Horizonte"),
    (BR, "para", "Belém"),
    (BR, "paraiba", "João Pessoa"),
    (BR, "parana", "Curitiba"),
    (BR, "pernambuco", "Recife"),
    (BR, "piaui", "Teresina"),
    (BR, "rio grande do norte", "Natal"),
    (BR, "rio grande do sul", "Porto Alegre"),
    (BR, "rondonia", "Porto Velho"),
    (BR, "roraima", "Boa Vista"),
    (BR, "santa catarina", "Florianópolis"),
    (BR, "sc", "Florianópolis"),
    (BR, "sergipe", "Aracaju"),
    (BR, "tocantins", "Palmas"),
    (ES, "jalisco", "Guadalajara"),
    (ES, "nuevo leon", "Monterrey"),
    (ES, "yucatan", "Mérida"),
    (ES, "veracruz", "Xalapa"),
    (ES, "tabasco", "Villahermosa"),
    (ES, "chiapas", "Tuxtla Gutiérrez"),
    (ES, "oaxaca", "Oaxaca"),
    (ES, "sonora", "Hermosillo"),
    (ES, "sinaloa", "Culiacán"),
    (ES, "michoacan", "Morelia"),
    (ES, "guerrero", "Chilpancingo"),
    (ES, "coahuila", "Saltillo"),
    (ES, "antioquia", "Medellín"),
    (ES, "valle", "Cali"),
    (ES, "valle del cauca", "Cali"),
    (ES, "atlantico", "Barranquilla"),
    (ES, "bolivar", "Cartagena"),
    (ES, "santander", "Bucaramanga"),
    (ES, "risaralda", "Pereira"),
    (ES, "la provincia de buenos aires", "La Plata"),
    (ES, "tucuman", "San Miguel de Tucumán"),
    (ES, "mendoza", "Mendoza"),
    (BR, "provincia de buenos aires", "La Plata"),
    (ID, "jateng", "Semarang"),
    (ID, "jawa tengah", "Semarang"),
    (ID, "jatim", "Surabaya"),
    (ID, "jawa timur", "Surabaya"),
    (ID, "jabar", "Bandung"),
    (ID, "jawa barat", "Bandung"),
    (ID, "diy", "Yogyakarta"),
    (ID, "banten", "Serang"),
    (ID, "bali", "Denpasar"),
    (ID, "ntb", "Mataram"),
    (ID, "ntt", "Kupang"),
    (ID, "aceh", "Banda Aceh"),
    (ID, "sumut", "Medan"),
    (ID, "sumatera utara", "Medan"),
    (ID, "sumbar", "Padang"),
    (ID, "sumatera barat", "Padang"),
    (ID, "sumsel", "Palembang"),
    (ID, "sumatera selatan", "Palembang"),
    (ID, "riau", "Pekanbaru"),
    (ID, "lampung", "Bandar Lampung"),
    (ID, "kalbar", "Pontianak"),
    (ID, "kalteng", "Palangka Raya"),
    (ID, "kalsel", "Banjarmasin"),
    (ID, "kaltim", "Samarinda"),
    (ID, "sulut", "Manado"),
    (ID, "sulteng", "Palu"),
    (ID, "sulsel", "Makassar"),
    (ID, "sultra", "Kendari"),
    (ID, "papua", "Jayapura"),
    (ID, "maluku", "Ambon"),
];

/// "Capital of" in Portuguese, Spanish and Indonesian.
const BR: &[&str] = &["capital do", "capital da", "capital de"];
const ES: &[&str] = &["capital de", "capital del"];
const ID: &[&str] = &["ibu kota", "ibukota"];

/// A nickname's words and its place.
type Phrase = (Vec<&'static str>, &'static str);

/// The nicknames by their first word, each word's longest first (so
/// "kota bawang merah" is read before "kota bawang").
fn phrases() -> &'static HashMap<&'static str, Vec<Phrase>> {
    static PHRASES: OnceLock<HashMap<&'static str, Vec<Phrase>>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut all: Vec<Phrase> = NICKNAMES
            .iter()
            .map(|(nickname, place)| (nickname.split(' ').collect::<Vec<_>>(), *place))
            .collect();
        for (forms, region, capital) in CAPITAL_OF {
            for form in *forms {
                let words = form.split(' ').chain(region.split(' ')).collect();
                all.push((words, *capital));
            }
        }
        all.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        let mut by_first: HashMap<&'static str, Vec<Phrase>> = HashMap::default();
        for phrase in all {
            by_first.entry(phrase.0[0]).or_default().push(phrase);
        }
        by_first
    })
}

/// Returns the usual names of the places `text` names by nickname, each
/// once, in the order the nicknames come.
pub(super) fn places(text: &str) -> Vec<&'static str> {
    let folded = fold(text);
    let said: Vec<&str> = words(&folded).collect();
    let mut places: Vec<&'static str> = Vec::new();
    let mut at = 0;
    while at < said.len() {
        let found = phrases().get(said[at]).and_then(|candidates| {
            candidates
                .iter()
                .find(|(phrase, _)| said[at..].starts_with(phrase))
        });
        match found {
            Some((phrase, place)) => {
                if !places.contains(place) {
                    places.push(place);
                }
                at += phrase.len();
            }
            None => at += 1,
        }
    }
    places
}

/// Returns `text` with the usual names of the places it names by
/// nickname after it ("povo da Ilha do Amor ... (São Luís)"), or `text`
/// itself when it names none.
pub(super) fn with_places(text: &str) -> Cow<'_, str> {
    let places = places(text);
    if places.is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("{text} ({})", places.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nickname_reads_as_its_place_and_everyday_words_do_not() {
        assert_eq!(
            places("povo da Ilha do Amor, o tribunal deixou as seções abertas"),
            ["São Luís"]
        );
        assert_eq!(
            places("en La Feliz se esfumaron los papeles, y en la Arenosa igual"),
            ["Mar del Plata", "Barranquilla"]
        );
        assert_eq!(places("di kota bawang merah yang nyalon dewan"), ["Brebes"]);
        assert_eq!(places("o prefeito da capital mato-grossense"), ["Cuiabá"]);
        assert_eq!(
            places("as urnas que mandaram pra capital do Amazonas"),
            ["Manaus"]
        );
        assert_eq!(
            places("na capital da província de Buenos Aires e em Mato Grosso do Sul"),
            ["La Plata"]
        );
        assert_eq!(
            places("di ibu kota Jateng dan ibukota Jawa Timur"),
            ["Semarang", "Surabaya"]
        );
        assert_eq!(places("en la capital del Valle del Cauca"), ["Cali"]);
        assert_eq!(
            with_places("lá na capital paranaense"),
            "lá na capital paranaense (Curitiba)"
        );
        for everyday in [
            "saqué el agua de la nevera",
            "fui solo a la fiesta",
            "uma cidade bonita e verde",
            "the capital of France",
        ] {
            assert!(places(everyday).is_empty(), "{everyday}");
            assert!(matches!(with_places(everyday), Cow::Borrowed(_)));
        }
    }
}
