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
//! Mexico, Colombia, Argentina, Indonesia): cities' nicknames and the
//! "capital of <state>" forms. Nicknames that are everyday phrases ("la
//! nevera", Bogotá, is also the fridge; "solo", Surakarta, is "alone" in
//! Spanish and Portuguese) are left out.

use std::borrow::Cow;
use std::sync::OnceLock;

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
    // Mexico.
    ("chilangolandia", "Ciudad de México"),
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
    // Argentina.
    ("la feliz", "Mar del Plata"),
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
    ("ibu kota jateng", "Semarang"),
    ("ibu kota jawa tengah", "Semarang"),
    ("ibu kota jatim", "Surabaya"),
    ("ibu kota jawa timur", "Surabaya"),
    ("ibu kota jabar", "Bandung"),
    ("ibu kota jawa barat", "Bandung"),
    ("ibu kota sulteng", "Palu"),
    ("ibu kota sulsel", "Makassar"),
    ("ibu kota sumut", "Medan"),
    ("ibu kota kaltim", "Samarinda"),
];

/// Each nickname as its words, longest first (so "kota bawang merah" is
/// read before "kota bawang").
fn phrases() -> &'static [(Vec<&'static str>, &'static str)] {
    static PHRASES: OnceLock<Vec<(Vec<&'static str>, &'static str)>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut phrases: Vec<_> = NICKNAMES
            .iter()
            .map(|(nickname, place)| (nickname.split(' ').collect::<Vec<_>>(), *place))
            .collect();
        phrases.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        phrases
    })
}

/// Returns the usual names of the places `text` names by nickname, each
/// once, in the order the nicknames come.
pub(super) fn places(text: &str) -> Vec<&'static str> {
    let folded = fold(text);
    let said: Vec<&str> = words(&folded).collect();
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    let mut taken = vec![false; said.len()];
    for (phrase, place) in phrases() {
        for start in 0..said.len().saturating_sub(phrase.len() - 1) {
            let span = start..start + phrase.len();
            if said[span.clone()] == phrase[..] && !taken[span.clone()].iter().any(|t| *t) {
                taken[span].iter_mut().for_each(|t| *t = true);
                found.push((start, place));
            }
        }
    }
    found.sort_by_key(|(start, _)| *start);
    let mut places: Vec<&'static str> = Vec::new();
    for (_, place) in found {
        if !places.contains(&place) {
            places.push(place);
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
