//! The index's schema: the fields a claim is searched and filtered by.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analysis::{FOLD, stem_analyzer_name};
use crate::lang::STEMMED;

/// The fields of the claim index schema.
#[derive(Debug, Clone)]
pub struct IndexFields {
    /// Claim id, raw.
    pub id: Field,
    /// Stemmed text and title, one field per stemmed language, as
    /// `(language, field)`.
    pub stemmed: Vec<(&'static str, Field)>,
    /// Folded (language-neutral) text and title.
    pub folded: Field,
    /// Market codes, or `*` for every market.
    pub market: Field,
    /// `window` for claims with a validity window, `scoped` for claims
    /// limited to markets: when no document has a flag, its filter is
    /// skipped and retrieval keeps its fast top-k path.
    pub flags: Field,
    /// Validity window as epoch milliseconds, [from, until).
    pub valid_from_ms: Field,
    /// See `valid_from_ms`.
    pub valid_until_ms: Field,
    /// The `ClaimCard` as JSON.
    pub card: Field,
}

impl IndexFields {
    /// Returns the stemmed field of a supported language.
    pub fn stemmed_field(&self, lang: &str) -> Option<Field> {
        self.stemmed
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, f)| *f)
    }
}

pub(super) fn build_schema() -> (Schema, IndexFields) {
    let mut builder = Schema::builder();
    let text_options = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let id = builder.add_text_field("id", STRING | STORED);
    let stemmed = STEMMED
        .iter()
        .map(|lang| {
            let field = builder.add_text_field(
                &format!("text_{lang}"),
                text_options(&stem_analyzer_name(lang)),
            );
            (*lang, field)
        })
        .collect();
    let folded = builder.add_text_field("text_fold", text_options(FOLD));
    let market = builder.add_text_field("market", STRING);
    let flags = builder.add_text_field("flags", STRING);
    let valid_from_ms = builder.add_i64_field("valid_from_ms", INDEXED | FAST);
    let valid_until_ms = builder.add_i64_field("valid_until_ms", INDEXED | FAST);
    let card = builder.add_text_field("card", STORED);
    let fields = IndexFields {
        id,
        stemmed,
        folded,
        market,
        flags,
        valid_from_ms,
        valid_until_ms,
        card,
    };
    (builder.build(), fields)
}
