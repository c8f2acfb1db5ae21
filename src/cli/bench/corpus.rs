//! What a bench run scores: the claims (a file or seeded synthetic ones),
//! loaded into the server and, for in-process runs, into a local index;
//! the requests (queries, caption files, synthetic posts or transcripts).

use std::path::PathBuf;

use anyhow::{Context, bail};
use tonic::transport::Channel;

use super::BenchArgs;
use super::measure::progress;
use crate::captions;
use crate::claims::load::ParsedClaim;
use crate::claims::{ClaimFormat, ClaimStore, LoadDefaults, import};
use crate::eval::data;
use crate::index::ClaimIndex;
use crate::proto::v1 as pb;
use crate::proto::v1::claims_client::ClaimsClient;
use crate::synthetic::Generator;

/// Claims per `LoadClaims` call when loading a synthetic corpus.
pub(super) const SYNTHETIC_BATCH: u64 = 50_000;

/// Where the claims come from.
pub(super) enum Corpus {
    File(PathBuf),
    Synthetic { count: u64, generator: Generator },
}

impl Corpus {
    pub(super) fn of(args: &BenchArgs) -> anyhow::Result<Self> {
        match (&args.claims, args.synthetic) {
            (Some(path), None) => Ok(Corpus::File(path.clone())),
            (None, Some(0)) => bail!("--synthetic must be at least 1"),
            (None, Some(count)) => Ok(Corpus::Synthetic {
                count,
                generator: Generator::new(args.seed),
            }),
            _ => bail!("give --claims FILE or --synthetic N"),
        }
    }

    /// The corpus as load-sized pieces: (bytes, claims in it when known).
    pub(super) fn batches(&self) -> impl Iterator<Item = anyhow::Result<(Vec<u8>, u64)>> + '_ {
        let (file, synthetic) = match self {
            Corpus::File(path) => (Some(path), None),
            Corpus::Synthetic { count, generator } => (None, Some((*count, *generator))),
        };
        let file = file.into_iter().map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok((bytes, 0))
        });
        let synthetic = synthetic.into_iter().flat_map(|(count, generator)| {
            (0..count.div_ceil(SYNTHETIC_BATCH)).map(move |batch| {
                let range = batch * SYNTHETIC_BATCH..((batch + 1) * SYNTHETIC_BATCH).min(count);
                let claims = range.end - range.start;
                Ok((generator.claims_jsonl(range), claims))
            })
        });
        file.chain(synthetic)
    }

    /// The corpus's claims, parsed here batch by batch as `load` would.
    pub(super) fn parsed(&self) -> impl Iterator<Item = anyhow::Result<Vec<ParsedClaim>>> + '_ {
        let defaults = LoadDefaults {
            partner: "bench".into(),
            ..LoadDefaults::default()
        };
        self.batches().map(move |batch| {
            let (bytes, _) = batch?;
            Ok(import::parse(&bytes, ClaimFormat::Auto, &defaults).claims)
        })
    }

    pub(super) fn synthetic_count(&self) -> Option<u64> {
        match self {
            Corpus::File(_) => None,
            Corpus::Synthetic { count, .. } => Some(*count),
        }
    }
}

/// Loads the corpus through `LoadClaims`; returns the claims the server
/// holds afterwards.
pub(super) async fn load_corpus(channel: &Channel, corpus: &Corpus) -> anyhow::Result<u64> {
    let bar = progress(corpus.synthetic_count(), "loading");
    let mut claims = 0;
    for batch in corpus.batches() {
        let (bytes, in_batch) = batch?;
        let header = pb::LoadHeader {
            partner: "bench".into(),
            source_name: "bench".into(),
            ..Default::default()
        };
        let mut messages = vec![pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        }];
        messages.extend(bytes.chunks(1 << 20).map(|c| pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(c.to_vec())),
        }));
        let loaded = ClaimsClient::new(channel.clone())
            .max_decoding_message_size(256 << 20)
            .load_claims(super::super::client::authed(tokio_stream::iter(messages)))
            .await?
            .into_inner();
        if loaded.rejected > 0 {
            bail!("the server refused {} bench claims", loaded.rejected);
        }
        claims += loaded.inserted + loaded.updated + loaded.unchanged;
        bar.inc(in_batch);
    }
    bar.finish_and_clear();
    Ok(claims)
}

/// Builds the corpus's index in memory, for in-process runs against a
/// remote server.
pub(super) fn local_index(corpus: &Corpus) -> anyhow::Result<(ClaimStore, ClaimIndex)> {
    let store = ClaimStore::open_in_memory()?;
    for claims in corpus.parsed() {
        store.write_batch(&claims?)?;
    }
    let index = ClaimIndex::in_memory(&store)?;
    Ok((store, index))
}

/// The requests to send, one per input, before any dry run or id is set.
pub(super) fn inputs(args: &BenchArgs, corpus: &Corpus) -> anyhow::Result<Vec<pb::ScoreRequest>> {
    let text = |id: String, language: &str, content| pb::ScoreRequest {
        video_id: id,
        language: language.to_string(),
        content: Some(content),
        ..Default::default()
    };
    let generator = Generator::new(args.seed);
    let claims = corpus.synthetic_count().unwrap_or(1);
    let mut requests = Vec::new();
    if let Some(path) = &args.queries {
        for query in data::read_queries(path)? {
            requests.push(text(
                format!("bench-{}", query.id),
                &query.lang,
                pb::score_request::Content::Text(query.text),
            ));
        }
    }
    for path in caption_files(&args.captions)? {
        let body = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let format = captions::detect_format(name.as_deref(), &body);
        let mut language = String::new();
        let content = super::super::score::score_content(body, format, &mut language)
            .with_context(|| path.display().to_string())?;
        requests.push(text(
            format!("bench-{}", path.display()),
            &language,
            content,
        ));
    }
    for n in 0..args.synthetic_posts.unwrap_or(0) {
        let (post, language) = generator.post(n, claims);
        requests.push(text(
            format!("bench-post-{n}"),
            language,
            pb::score_request::Content::Text(post),
        ));
    }
    for n in 0..args.synthetic_mixed.unwrap_or(0) {
        let (caption, language, _) = generator.mixed(n, claims);
        requests.push(text(
            format!("bench-mixed-{n}"),
            language,
            pb::score_request::Content::Text(caption),
        ));
    }
    for n in 0..args.synthetic_transcripts.unwrap_or(0) {
        let (srt, language) = generator.transcript_srt(n, claims);
        requests.push(text(
            format!("bench-transcript-{n}"),
            language,
            pb::score_request::Content::Srt(srt),
        ));
    }
    if requests.is_empty() {
        bail!("no input to score");
    }
    Ok(requests)
}

/// Files named, and the files directly inside directories named, sorted.
pub(super) fn caption_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Request `i` of the run: input `i` modulo their number, under a video id
/// of its own per round (so every round logs its hits again).
pub(super) fn request(inputs: &[pb::ScoreRequest], i: usize, dry_run: bool) -> pb::ScoreRequest {
    let input = &inputs[i % inputs.len()];
    pb::ScoreRequest {
        request_id: i.to_string(),
        video_id: format!("{}-{}", input.video_id, i / inputs.len()),
        dry_run,
        ..input.clone()
    }
}
