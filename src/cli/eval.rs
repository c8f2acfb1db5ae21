//! `claimsignal eval` and `claimsignal train`.

use std::path::PathBuf;

use anyhow::Context;

use crate::encoder::Encoder;
use crate::eval::query::Dating;
use crate::eval::report::EvalReport;
use crate::eval::run::{EvalOptions, run};
use crate::eval::semantic::SemanticReport;
use crate::matcher::{MatchConfig, Matcher};

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal eval --claims ../shared/eval/snopes-tweets/claims.jsonl --queries ../shared/eval/snopes-tweets/queries.dev.jsonl --qrels ../shared/eval/snopes-tweets/qrels.dev.tsv"
)]
pub struct EvalArgs {
    /// Claims (JSON Lines).
    #[arg(long)]
    pub claims: PathBuf,
    /// Queries (JSON Lines: id, text, lang).
    #[arg(long)]
    pub queries: PathBuf,
    /// Relevance judgements (query<TAB>claim).
    #[arg(long)]
    pub qrels: PathBuf,
    /// Directory of `<doc>.tsv` transcripts: `<doc>_<line>` queries are
    /// matched inside their transcript.
    #[arg(long)]
    pub transcripts: Option<PathBuf>,
    /// Queries that should match nothing (negative control).
    #[arg(long)]
    pub negatives: Option<PathBuf>,
    /// A model file (default: the shipped model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Threads ranking queries at once.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Ignore when queries were made (their `observed_at`, a debate id's
    /// date, an embedded post's date), as a caller that sends no
    /// `observed_at` would.
    #[arg(long)]
    pub undated: bool,
    /// Date each query this many days after its own date (negative:
    /// before), as the same post seen again months later: a checked
    /// falsehood comes back for months and at every election.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub observed_offset_days: i64,
    /// Match transcripts without their speakers, as a caller sending
    /// captions that do not say who speaks (SRT) would.
    #[arg(long)]
    pub no_speakers: bool,
    /// Write the queries with a wrong decision or a missed relevant claim
    /// to this file (JSON Lines: the query, its relevant claims, the
    /// matches returned with their confidence and level).
    #[arg(long)]
    pub mistakes: Option<PathBuf>,
    /// Also send each transcript of the judged queries whole (as a
    /// platform sends a video's captions) and check that the matches
    /// returned cover the labelled lines (needs `--transcripts`).
    #[arg(long)]
    pub whole_transcripts: bool,
    /// Match by words only (`semantic = false`); by default the matcher
    /// matches by meaning too, as the server does.
    #[arg(long)]
    pub words_only: bool,
    /// Run the encoder on every sentence of short content, not only on
    /// election talk or where words found a claim partly
    /// (`semantic_gate = false`), to measure what the gate costs.
    #[arg(long, conflicts_with = "words_only")]
    pub ungated: bool,
    /// Also measure the sentence encoder alone: claims ranked by cosine,
    /// fused with the lexical ranking, and the cosine's calibration (the
    /// shipped model in model/).
    #[arg(long)]
    pub semantic: bool,
    /// Read the claims' signs first from this many claim texts
    /// (`semantic_signs_from`; 1 to measure what it costs on a small set).
    #[arg(long)]
    pub signs_from: Option<usize>,
}

/// Arguments of `train`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal train --eval-dir ../shared/eval --out model/matcher.json"
)]
pub struct TrainArgs {
    /// Directory holding evaluation sets (each with claims.jsonl,
    /// queries.train.jsonl, qrels.train.tsv).
    #[arg(long)]
    pub eval_dir: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "model/matcher.json")]
    pub out: PathBuf,
    /// Also write every training pair (set, kind, query, claim, label and
    /// features) to this CSV file, to study the features outside.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
}

/// Runs an evaluation and prints its report.
pub async fn eval(args: EvalArgs) -> anyhow::Result<i32> {
    let config = MatchConfig {
        model_file: args.model.clone(),
        ..MatchConfig::default()
    };
    let config = MatchConfig {
        semantic: config.semantic && !args.words_only,
        semantic_gate: config.semantic_gate && !args.ungated,
        semantic_signs_from: args.signs_from.unwrap_or(config.semantic_signs_from),
        ..config
    };
    let meaning = config.semantic;
    let matcher = Matcher::from_config(config)?;
    let options = EvalOptions {
        claims: args.claims,
        queries: args.queries,
        qrels: args.qrels,
        transcripts: args.transcripts,
        negatives: args.negatives,
        threads: args.threads,
        dating: Dating {
            undated: args.undated,
            offset_days: args.observed_offset_days,
        },
        mistakes: args.mistakes,
        whole_transcripts: args.whole_transcripts,
        no_speakers: args.no_speakers,
        semantic: meaning,
    };
    let semantic = args.semantic;
    let (report, semantic) = tokio::task::spawn_blocking(move || {
        let report = run(&matcher, &options)?;
        let semantic = if semantic {
            let encoder = Encoder::shipped()?;
            Some(crate::eval::semantic::run(
                &matcher,
                &encoder,
                &options.claims,
                &options.queries,
                &options.qrels,
                options.negatives.as_deref(),
                options.dating,
            )?)
        } else {
            None
        };
        anyhow::Ok((report, semantic))
    })
    .await??;
    if args.json {
        let mut json = serde_json::to_value(&report)?;
        if let Some(semantic) = &semantic {
            json["semantic"] = serde_json::to_value(semantic)?;
        }
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        print!("{}", render(&report));
        if let Some(semantic) = &semantic {
            print!("{}", render_semantic(semantic));
        }
    }
    Ok(0)
}

fn render_semantic(report: &SemanticReport) -> String {
    let mut out = format!(
        "semantic       MAP@5 lexical {:.3}, cosine alone {:.3} (Recall@5 {:.3}), fused {:.3}\n\
         encoder        {:.0} claims/s with the centring fit, {:.0} queries/s (one thread, {} kernel, {} MB of weights)\n\
         cosine of the first claim   decided  precision  recall  negatives reaching it\n",
        report.lexical_map_at_5,
        report.cosine_map_at_5,
        report.cosine_recall_at_5,
        report.fused_map_at_5,
        report.claims_per_second,
        report.queries_per_second,
        report.kernel,
        report.weights_bytes / 1_000_000,
    );
    for (weight, map) in &report.weighted_map_at_5 {
        out.push_str(&format!(
            "  cosine + {weight:.2} x lexical confidence: MAP@5 {map:.3}\n"
        ));
    }
    for row in &report.thresholds {
        out.push_str(&format!(
            "  >= {:.2}                   {:>7}  {:>9.3}  {:>6.3}  {:>8.3}\n",
            row.cosine, row.decided, row.precision, row.recall, row.negatives_share
        ));
    }
    out
}

fn render(report: &EvalReport) -> String {
    let mut out = format!(
        "queries        {} ({} inside their transcript)\n\
         MAP@1          {:.3}\n\
         MAP@5          {:.3}\n\
         MRR            {:.3}\n\
         Recall@5       {:.3}\n\
         Recall@20      {:.3}\n\
         auto           precision {:.3} ({} of {}), recall {:.3}\n\
         review+auto    precision {:.3} ({} of {}), recall {:.3}\n",
        report.queries,
        report.in_transcript,
        report.map_at_1,
        report.map_at_5,
        report.mrr,
        report.recall_at_5,
        report.recall_at_20,
        report.auto.precision,
        report.auto.correct,
        report.auto.decided,
        report.auto.recall,
        report.review.precision,
        report.review.correct,
        report.review.decided,
        report.review.recall,
    );
    out.push_str(&format!(
        "  stance       of the {} right: {} read as refuting, {} as doubting\n",
        report.stances.decided, report.stances.refutes, report.stances.unclear
    ));
    for language in &report.by_language {
        out.push_str(&format!(
            "  {:<12} {} queries, MAP@5 {:.3}, auto precision {:.3} ({} of {}), recall {:.3}\n",
            language.language,
            language.queries,
            language.map_at_5,
            language.auto.precision,
            language.auto.correct,
            language.auto.decided,
            language.auto.recall,
        ));
    }
    if let Some(negatives) = &report.negatives {
        let shares = |shares: &crate::eval::report::NegativeShares| {
            format!(
                "{:.2} % reach review, {:.2} % reach auto",
                shares.review_share * 100.0,
                shares.auto_share * 100.0
            )
        };
        out.push_str(&format!(
            "negatives      {} queries alone: {}\n",
            negatives.queries,
            shares(&negatives.alone)
        ));
        if let Some(inside) = &negatives.in_transcript {
            out.push_str(&format!(
                "               in their transcripts: {}\n",
                shares(inside)
            ));
        }
    }
    out.push_str("threshold      decided  precision  recall  negatives alone\n");
    for row in &report.thresholds {
        out.push_str(&format!(
            "  {:.2}         {:>7}  {:>9.3}  {:>6.3}  {:>8.2} %\n",
            row.threshold,
            row.decided,
            row.precision,
            row.recall,
            row.negatives_share * 100.0
        ));
    }
    if let Some([seen, embedded]) = report.sentences_embedded {
        out.push_str(&format!(
            "encoder        ran on {embedded} of {seen} sentences of short content\n"
        ));
    }
    if let Some(whole) = &report.whole_transcripts {
        out.push_str(&format!(
            "whole          {} transcripts sent whole, {} labelled pairs, median span {:.1} s\n",
            whole.transcripts,
            whole.labelled_pairs,
            whole.median_span_ms as f64 / 1000.0
        ));
        for (name, quality) in [("auto", &whole.auto), ("review+auto", &whole.review)] {
            out.push_str(&format!(
                "  {name:<12} {} returned: {} on a labelled line of their claim ({:.3}), {} off target; {:.3} of labelled lines covered\n",
                quality.decided,
                quality.on_target,
                quality.precision,
                quality.off_target,
                quality.line_recall
            ));
        }
    }
    out.push_str(&format!(
        "speed          {:.0} queries/s ({} threads, in-process, {} build)\n",
        report.queries_per_second,
        report.threads,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    ));
    out
}

/// Fits the model on the train splits and writes it.
pub async fn train(args: TrainArgs) -> anyhow::Result<i32> {
    let eval_dir = args.eval_dir.clone();
    let pairs = args.pairs.clone();
    let (models, provenance) = tokio::task::spawn_blocking(move || {
        crate::eval::train::train(
            &Matcher::new(
                MatchConfig::default(),
                crate::matcher::Models::coverage_only(),
            ),
            &eval_dir,
            pairs.as_deref(),
        )
    })
    .await??;
    let json = serde_json::to_string_pretty(&models)?;
    std::fs::write(&args.out, format!("{json}\n"))
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("model written to {}: {provenance}", args.out.display());
    Ok(0)
}
