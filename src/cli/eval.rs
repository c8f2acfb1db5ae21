//! `claimsignal eval` and `claimsignal train`.

use anyhow::Context;

use super::{EvalArgs, TrainArgs};
use crate::eval::query::Dating;
use crate::eval::run::{EvalOptions, EvalReport, run};
use crate::matcher::{MatchConfig, Matcher};

/// Runs an evaluation and prints its report.
pub async fn eval(args: EvalArgs) -> anyhow::Result<i32> {
    let config = MatchConfig {
        model_file: args.model.clone(),
        ..MatchConfig::default()
    };
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
    };
    let report = tokio::task::spawn_blocking(move || run(&matcher, &options)).await??;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    Ok(0)
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
    if let Some(negatives) = &report.negatives {
        let shares = |shares: &crate::eval::run::NegativeShares| {
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
