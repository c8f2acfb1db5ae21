//! Client subcommands: `load`, `score`, `retract`.

use std::io::Read;

use anyhow::Context;
use serde_json::json;

use super::{LoadArgs, LoadFormat, RetractArgs, ScoreArgs, ScoreFormat, SourceArg};
use crate::captions::{CaptionFormat, detect_format, whisper};
use crate::proto::v1 as pb;
use crate::proto::v1::claims_client::ClaimsClient;
use crate::proto::v1::matcher_client::MatcherClient;
use crate::text::parse_date;

/// Bytes per `LoadClaims` chunk.
const CHUNK_BYTES: usize = 256 * 1024;
/// Largest message the CLI accepts from the server.
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

static TOKEN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Remembers the token client commands send.
pub(super) fn set_token(token: Option<String>) {
    let _ = TOKEN.set(token.filter(|t| !t.trim().is_empty()));
}

/// Wraps a message in a request carrying the token, when there is one.
pub(super) fn authed<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    if let Some(Some(token)) = TOKEN.get()
        && let Ok(value) = format!("Bearer {}", token.trim()).parse()
    {
        request.metadata_mut().insert("authorization", value);
    }
    request
}

/// What client commands need to reach an `https://` server.
#[derive(Debug, Default)]
pub(super) struct ClientTls {
    /// The CA to trust instead of the system's roots.
    pub ca: Option<std::path::PathBuf>,
    /// Certificate and key for mutual TLS.
    pub identity: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

static TLS: std::sync::OnceLock<ClientTls> = std::sync::OnceLock::new();

/// Remembers the TLS settings client commands use.
pub(super) fn set_tls(tls: ClientTls) {
    let _ = TLS.set(tls);
}

fn client_tls_config() -> anyhow::Result<tonic::transport::ClientTlsConfig> {
    let read = |path: &std::path::Path| {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let mut config = tonic::transport::ClientTlsConfig::new();
    let tls = TLS.get_or_init(ClientTls::default);
    config = match &tls.ca {
        Some(ca) => config.ca_certificate(tonic::transport::Certificate::from_pem(read(ca)?)),
        None => config.with_native_roots(),
    };
    if let Some((cert, key)) = &tls.identity {
        config = config.identity(tonic::transport::Identity::from_pem(
            read(cert)?,
            read(key)?,
        ));
    }
    Ok(config)
}

pub(super) async fn channel(server: &str) -> anyhow::Result<tonic::transport::Channel> {
    let mut endpoint = tonic::transport::Endpoint::from_shared(server.to_string())
        .with_context(|| format!("bad server address {server:?}"))?;
    if server.starts_with("https://") {
        endpoint = endpoint
            .tls_config(client_tls_config()?)
            .context("TLS settings")?;
    }
    endpoint
        .connect()
        .await
        .with_context(|| format!("cannot connect to {server}; is `claimsignal serve` running?"))
}

/// Loads each file; prints a summary per file and every refused record.
pub async fn load(args: LoadArgs) -> anyhow::Result<i32> {
    let mut client = ClaimsClient::new(channel(&args.server).await?)
        .max_decoding_message_size(MAX_RESPONSE_BYTES);
    let mut failed = false;
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let header = pb::LoadHeader {
            partner: args.partner.clone(),
            format: match args.format {
                None => pb::ClaimFormat::Unspecified,
                Some(LoadFormat::Jsonl) => pb::ClaimFormat::Jsonl,
                Some(LoadFormat::ClaimReview) => pb::ClaimFormat::ClaimReview,
                Some(LoadFormat::Html) => pb::ClaimFormat::Html,
                Some(LoadFormat::FactCheckTools) => pb::ClaimFormat::FactCheckTools,
                Some(LoadFormat::Csv) => pb::ClaimFormat::Csv,
            } as i32,
            default_language: args.language.clone().unwrap_or_default(),
            markets: args.markets.clone(),
            elections: args.elections.clone(),
            valid_from: window_bound(args.valid_from.as_deref(), "--valid-from")?,
            valid_until: window_bound(args.valid_until.as_deref(), "--valid-until")?,
            source_name: path.display().to_string(),
            replace: args.replace,
            // The per-record report file needs every record's outcome.
            every_record: args.report.is_some(),
        };
        let mut messages = vec![pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        }];
        messages.extend(
            bytes
                .chunks(CHUNK_BYTES)
                .map(|chunk| pb::LoadClaimsRequest {
                    item: Some(pb::load_claims_request::Item::Chunk(chunk.to_vec())),
                }),
        );
        let report = match client
            .load_claims(authed(tokio_stream::iter(messages)))
            .await
        {
            Ok(response) => response.into_inner(),
            Err(status) => {
                eprintln!("{}: {}", path.display(), status.message());
                failed = true;
                continue;
            }
        };
        println!(
            "{}: inserted {}, updated {}, unchanged {}, retracted {}, rejected {}",
            path.display(),
            report.inserted,
            report.updated,
            report.unchanged,
            report.retracted,
            report.rejected
        );
        if let Some(out) = &args.report {
            write_report(out, path, &report)?;
        }
        for rejection in &report.rejections {
            let id = if rejection.claim_id.is_empty() {
                String::new()
            } else {
                format!(" ({})", rejection.claim_id)
            };
            eprintln!("  {}{id}: {}", rejection.position, rejection.reason);
        }
        if report.rejections_omitted > 0 {
            eprintln!(
                "  ... and {} more refused records (pass --report FILE to list every record)",
                report.rejections_omitted
            );
        }
    }
    Ok(if failed { 1 } else { 0 })
}

fn window_bound(text: Option<&str>, flag: &str) -> anyhow::Result<Option<prost_types::Timestamp>> {
    text.map(|text| {
        parse_date(text)
            .map(crate::server::convert::timestamp)
            .with_context(|| format!("{flag} {text:?} is not a date (RFC 3339 or YYYY-MM-DD)"))
    })
    .transpose()
}

/// Appends one JSON line per record to `out`.
fn write_report(
    out: &std::path::Path,
    file: &std::path::Path,
    report: &pb::LoadClaimsResponse,
) -> anyhow::Result<()> {
    use std::io::Write;
    let mut writer = std::io::BufWriter::new(
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)
            .with_context(|| format!("cannot write {}", out.display()))?,
    );
    for record in &report.records {
        let status =
            pb::RecordStatus::try_from(record.status).map_or("unknown", |s| s.as_str_name());
        let line = json!({
            "file": file.display().to_string(),
            "position": record.position,
            "line": record.line,
            "claim_id": record.claim_id,
            "status": status.trim_start_matches("RECORD_STATUS_").to_ascii_lowercase(),
            "reason": record.reason,
        });
        writeln!(writer, "{line}")?;
    }
    writer.flush()?;
    Ok(())
}

/// Scores one file (or stdin) and prints the response as JSON.
pub async fn score(args: ScoreArgs) -> anyhow::Result<i32> {
    let is_stdin = args.file.as_os_str() == "-";
    let text = if is_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let file_name = (!is_stdin).then(|| args.file.display().to_string());
    let format = match args.format {
        Some(ScoreFormat::Text) => CaptionFormat::Text,
        Some(ScoreFormat::Vtt) => CaptionFormat::WebVtt,
        Some(ScoreFormat::Srt) => CaptionFormat::Srt,
        Some(ScoreFormat::Whisper) => CaptionFormat::WhisperJson,
        None => detect_format(file_name.as_deref(), &text),
    };
    let mut language = args.lang.unwrap_or_default();
    let content = score_content(text, format, &mut language)?;
    let observed_at = match args.observed_at.as_deref() {
        Some(text) => Some(crate::server::convert::timestamp(
            parse_date(text).with_context(|| format!("--observed-at {text:?} is not a date"))?,
        )),
        None => None,
    };
    let request = pb::ScoreRequest {
        request_id: "cli".into(),
        video_id: args
            .video_id
            .or(file_name)
            .unwrap_or_else(|| "stdin".into()),
        market: args.market.unwrap_or_default(),
        language,
        observed_at,
        view_count: args.views,
        source: match args.source {
            SourceArg::Caption => pb::ContentSource::Caption,
            SourceArg::Speech => pb::ContentSource::SpeechTranscript,
            SourceArg::Ocr => pb::ContentSource::Ocr,
            SourceArg::Description => pb::ContentSource::Description,
        } as i32,
        content: Some(content),
        min_confidence: Some(args.min_confidence),
        max_matches: args.max_matches,
        dry_run: args.dry_run,
    };
    let mut client = MatcherClient::new(channel(&args.server).await?)
        .max_decoding_message_size(MAX_RESPONSE_BYTES);
    let response = match client.score(authed(request)).await {
        Ok(response) => response.into_inner(),
        Err(status) => {
            eprintln!("score failed: {}", status.message());
            return Ok(1);
        }
    };
    print_stdout(&serde_json::to_string_pretty(&response_json(&response))?)?;
    Ok(0)
}

/// Whisper writes languages as codes (`en`) or English names (`english`).
/// The request content for a caption file's text in `format`. A Whisper
/// file's declared language fills `language` when the caller gave none;
/// skipped segments are reported on stderr.
pub(super) fn score_content(
    text: String,
    format: CaptionFormat,
    language: &mut String,
) -> anyhow::Result<pb::score_request::Content> {
    Ok(match format {
        CaptionFormat::Text => pb::score_request::Content::Text(text),
        CaptionFormat::WebVtt => pb::score_request::Content::Webvtt(text),
        CaptionFormat::Srt => pb::score_request::Content::Srt(text),
        CaptionFormat::WhisperJson => {
            let (declared, parsed) = whisper::parse(&text).map_err(anyhow::Error::msg)?;
            for problem in &parsed.problems {
                eprintln!("skipped {}", problem.reason);
            }
            if language.is_empty() {
                *language = declared.map(|l| whisper_language(&l)).unwrap_or_default();
            }
            crate::server::convert::matcher::segments_content(parsed.segments)
        }
    })
}

fn whisper_language(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "english" => "en".into(),
        "portuguese" => "pt".into(),
        "spanish" => "es".into(),
        "french" => "fr".into(),
        "indonesian" => "id".into(),
        other => other.into(),
    }
}

/// Prints a line, treating a closed pipe (`| head`) as the reader being done.
pub(super) fn print_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub(super) fn enum_name<E: TryFrom<i32>>(value: i32, name: impl Fn(E) -> &'static str) -> String {
    E::try_from(value)
        .map(name)
        .unwrap_or("UNKNOWN")
        .to_string()
}

fn response_json(response: &pb::ScoreResponse) -> serde_json::Value {
    let matches: Vec<_> = response
        .matches
        .iter()
        .map(|m| {
            json!({
                "claim_id": m.claim_id,
                "partner": m.partner,
                "verdict": enum_name(m.verdict, |v: pb::Verdict| v.as_str_name()),
                "rating_text": m.rating_text,
                "claim_text": m.claim_text,
                "review_url": m.review_url,
                "confidence": m.confidence,
                "level": enum_name(m.level, |l: pb::MatchLevel| l.as_str_name()),
                "excerpt": m.excerpt,
                "matched_terms": m.matched_terms,
                "start_ms": m.start_ms,
                "end_ms": m.end_ms,
                "stance": enum_name(m.stance, |s: pb::Stance| s.as_str_name()),
                "stance_cues": m.stance_cues,
                "also_said": m.also_said.iter().map(|s| json!({
                    "start_ms": s.start_ms,
                    "end_ms": s.end_ms,
                    "confidence": s.confidence,
                    "level": enum_name(s.level, |l: pb::MatchLevel| l.as_str_name()),
                })).collect::<Vec<_>>(),
                "hit_id": m.hit_id,
                "also_checked_by": m.also_checked_by.iter().map(|c| json!({
                    "claim_id": c.claim_id,
                    "partner": c.partner,
                    "verdict": enum_name(c.verdict, |v: pb::Verdict| v.as_str_name()),
                    "rating_text": c.rating_text,
                    "review_url": c.review_url,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "request_id": response.request_id,
        "video_id": response.video_id,
        "decision": enum_name(response.decision, |d: pb::Decision| d.as_str_name()),
        "confidence": response.confidence,
        "language": response.language,
        "matches": matches,
    })
}

/// Retracts each claim id; prints what happened to each.
pub async fn retract(args: RetractArgs) -> anyhow::Result<i32> {
    let mut client = ClaimsClient::new(channel(&args.server).await?);
    let mut failed = false;
    for id in args.ids {
        match client
            .retract_claim(authed(pb::RetractClaimRequest {
                id: id.clone(),
                reason: String::new(),
            }))
            .await
        {
            Ok(response) if response.get_ref().changed => println!("{id}: retracted"),
            Ok(_) => println!("{id}: already retracted"),
            Err(status) => {
                eprintln!("{id}: {}", status.message());
                failed = true;
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}
