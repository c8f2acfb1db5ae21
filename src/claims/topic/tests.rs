//! Tests of `topic`.

use super::*;

#[test]
fn claims_in_the_partners_languages_get_their_topic() {
    let cases = [
        (
            "As urnas eletrônicas podem ser hackeadas pela internet durante a votação",
            "voting_machines",
        ),
        (
            "Las máquinas de votación del INE cambian los votos",
            "voting_machines",
        ),
        (
            "Quem não fizer a biometria terá o título de eleitor cancelado",
            "voter_documents",
        ),
        (
            "Eleitores de Lula votam na segunda-feira: a eleição foi adiada para o dia seguinte",
            "voting_dates_places",
        ),
        (
            "Pemilu diundur karena jadwal KPU berubah",
            "voting_dates_places",
        ),
        (
            "Partido está pagando R$ 500 por voto: compra de votos com cesta básica",
            "vote_buying",
        ),
        ("Bawaslu menemukan serangan fajar di TPS", "vote_buying"),
        (
            "El CNE anuló las elecciones en tres departamentos",
            "electoral_authorities",
        ),
        (
            "Quick count menunjukkan Prabowo menang 70 persen",
            "results",
        ),
        (
            "The candidate dropped out of the race last night",
            "candidates",
        ),
        ("A receita de bolo de cenoura da vovó", "other"),
    ];
    for (text, topic) in cases {
        assert_eq!(settle("", &[], text).0, topic, "{text}");
    }
}

#[test]
fn the_partners_word_comes_first() {
    let text = "As urnas eletrônicas foram fraudadas";
    // A taxonomy topic named in any report language.
    assert_eq!(
        settle("documentos e cadastro do eleitor", &[], text),
        ("voter_documents".into(), true)
    );
    assert_eq!(
        settle("vote_buying", &[], text),
        ("vote_buying".into(), true)
    );
    // The partner's own taxonomy is kept as written.
    assert_eq!(
        settle("  Desinformação  sobre o TSE ", &[], text),
        ("Desinformação sobre o TSE".into(), true)
    );
    // Keywords that name a topic decide; keywords that do not leave
    // the text to decide.
    let keywords = ["eleições".to_string(), "título de eleitor".to_string()];
    assert_eq!(
        settle("", &keywords, text),
        ("voter_documents".into(), true)
    );
    let vague = ["eleições 2022".to_string()];
    assert_eq!(settle("", &vague, text), ("voting_machines".into(), false));
}

#[test]
fn whole_word_cues_do_not_match_inside_words() {
    assert_eq!(assigned("o tsetse e a mosca"), None);
    assert_eq!(assigned("o TSE mentiu"), Some("electoral_authorities"));
    assert_eq!(assigned("comprei uma urna antiga"), Some("voting_machines"));
}
