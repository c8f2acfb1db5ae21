//! `bench --baseline`: the plain BM25 engine a platform would otherwise
//! reach for, run on the same claims and inputs as the service, so that a
//! bench run says how the whole pipeline stands against bare retrieval on
//! the same machine at the same moment (shared machines move by tens of
//! percent from one hour to the next; a ratio measured side by side does
//! not).
//!
//! The engine is Tantivy as its guide shows it: one text field holding
//! each claim's text and title, English stop words and stemming, each
//! window of an input searched as a `BooleanQuery` of `Should` term
//! queries, top 10 by score. No markets, validity, reranking, thresholds
//! or hit logging: retrieval alone.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexWriter, Score, Searcher, TantivyDocument, Term};

use crate::index::analysis;

/// The tokenizer name the field is indexed with.
const ANALYZER: &str = "baseline_en";
/// Results per search.
const TOP: usize = 10;
/// Indexing memory budget.
const WRITER_BYTES: usize = 128 << 20;

/// A plain BM25 index of claim texts.
pub struct Baseline {
    searcher: Searcher,
    body: Field,
}

impl Baseline {
    /// Indexes `texts` (one document each) in memory.
    pub fn build<I: IntoIterator<Item = String>>(texts: I) -> tantivy::Result<Self> {
        let mut schema = Schema::builder();
        let body = schema.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(ANALYZER, analyzer());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_BYTES)?;
        for text in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(body, text);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        Ok(Baseline { searcher, body })
    }

    /// The top documents for `text`, best first (empty when no word of
    /// it is indexed).
    pub fn search(
        &self,
        analyzer: &mut TextAnalyzer,
        text: &str,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = analysis::terms(analyzer, text)
            .into_iter()
            .map(|word| {
                let term = Term::from_field_text(self.body, &word);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                (Occur::Should, Box::new(query) as Box<dyn Query>)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let top = TopDocs::with_limit(TOP).order_by_score();
        self.searcher.search(&BooleanQuery::new(clauses), &top)
    }
}

/// The analyzer queries go through: English stop words and stemming, the
/// same chain the service's English field uses.
pub fn analyzer() -> TextAnalyzer {
    analysis::stem_analyzer("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_claim_sharing_the_most_informative_words() {
        let baseline = Baseline::build(
            [
                "Ballots were burned in the county landfill",
                "Voting machines switched votes in the county",
                "The election date was moved to Wednesday",
            ]
            .map(String::from),
        )
        .expect("builds");
        let mut analyzer = analyzer();
        let found = baseline
            .search(&mut analyzer, "they BURNED the ballots!")
            .expect("searches");
        assert_eq!(found.len(), 1, "only one claim shares a word: {found:?}");
        assert_eq!(found[0].1.doc_id, 0);
        let found = baseline
            .search(&mut analyzer, "county machines")
            .expect("searches");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1.doc_id, 1, "two shared words beat one");
        // Stop words alone find nothing.
        assert!(
            baseline
                .search(&mut analyzer, "the was in")
                .expect("searches")
                .is_empty()
        );
    }
}
