//! Server configuration: one struct, read from an optional TOML file, then
//! overridden by environment (`CLAIMSIGNAL_*`) and flags in `main`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::claims::Verdict;
use crate::error::{Error, Result};
use crate::matcher::MatchConfig;
use crate::store::StoreUrl;

/// Everything `claimsignal serve` can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// Data directory holding the claim index (and the SQLite stores
    /// unless `store.url` says otherwise).
    pub data_dir: PathBuf,
    /// Where claims, hits and tokens live.
    pub store: StoreConfig,
    /// Matching thresholds and sizes.
    pub matching: MatchConfig,
    /// Input limits.
    pub limits: Limits,
    /// The hit log.
    pub hits: HitsConfig,
    /// TLS for the listener; absent: plain HTTP/2.
    pub tls: Option<TlsConfig>,
    /// Where to serve Prometheus metrics over plain HTTP (`GET /metrics`);
    /// absent: no metrics endpoint. A bare port is on 127.0.0.1.
    pub metrics_listen: Option<String>,
    /// Seconds a stop (SIGTERM, SIGINT) waits for calls in flight to end
    /// before the process exits anyway; health says NOT_SERVING and open
    /// streams are told to end from the start of it.
    pub drain_seconds: u64,
    /// Per partner, its own rating words and the verdict each means, e.g.
    /// `[ratings.aosfatos]` then `"Não é bem assim" = "misleading"`.
    pub ratings: BTreeMap<String, BTreeMap<String, String>>,
}

/// Where claims, hits and tokens live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// `sqlite://DIR` or `postgres://user@host/db`; absent: SQLite files in
    /// `data_dir`. Replicas share one PostgreSQL database.
    pub url: Option<String>,
    /// Most pooled connections to PostgreSQL per replica (reads, claim
    /// writes); the hit writer and the change follower hold one more each.
    pub max_connections: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            url: None,
            max_connections: 8,
        }
    }
}

/// Settings of the hit log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HitsConfig {
    /// `fsync_per_batch` (default: acknowledged hits survive power loss) or
    /// `os_buffered` (they survive a crash of the process only).
    pub durability: crate::hits::Durability,
}

/// Server certificate, key, and (for mutual TLS) the CA that signs the
/// certificates clients must present. Files in PEM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// The server's certificate chain.
    pub cert: PathBuf,
    /// The server's private key.
    pub key: PathBuf,
    /// When set, every client must present a certificate signed by it.
    pub client_ca: Option<PathBuf>,
}

/// Limits on what one request may ask of the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file a load may send, in bytes.
    pub max_load_bytes: usize,
    /// Largest gRPC message (a chunk of a claim file), in bytes.
    pub max_message_bytes: usize,
    /// Largest `Score` or `ScoreStream` message, in bytes: the content and
    /// its segments' times and speakers.
    pub max_score_message_bytes: usize,
    /// Largest content of one score request, in bytes.
    pub max_content_bytes: usize,
    /// Most segments in one score request.
    pub max_segments: usize,
    /// Most records one load may hold.
    pub max_claims_per_load: usize,
    /// Most concurrent HTTP/2 streams (calls) per connection.
    pub max_concurrent_streams: u32,
    /// Most calls in flight across all connections (an open stream counts
    /// as one); more are refused with `RESOURCE_EXHAUSTED` at once.
    pub max_in_flight: usize,
    /// Most calls in flight for one caller (one token; every caller of a
    /// service with no tokens is one), so no caller can take every slot.
    pub max_in_flight_per_caller: usize,
    /// Most calls in flight from one peer address.
    pub max_in_flight_per_peer: usize,
    /// Seconds a unary call's request body may take to arrive.
    pub request_body_seconds: u64,
    /// Calls per second each `pipeline` or `partner` token may make on
    /// average (0: no limit).
    pub rate_per_token: f64,
    /// Calls such a token may make in a burst.
    pub rate_burst: f64,
    /// Seconds a `LoadClaims` stream may stay silent before it is dropped
    /// (a client trickling bytes cannot hold a load open forever).
    pub stream_idle_seconds: u64,
    /// Seconds a `ScoreStream` may stay silent before it is ended.
    pub score_stream_idle_seconds: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:50051".to_string(),
            data_dir: PathBuf::from("index"),
            store: StoreConfig::default(),
            matching: MatchConfig::default(),
            limits: Limits::default(),
            ratings: BTreeMap::new(),
            hits: HitsConfig::default(),
            tls: None,
            metrics_listen: None,
            drain_seconds: 20,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_load_bytes: 256 * 1024 * 1024,
            max_message_bytes: 16 * 1024 * 1024,
            max_score_message_bytes: 4 * 1024 * 1024,
            max_content_bytes: 1024 * 1024,
            max_segments: 20_000,
            max_claims_per_load: 1_000_000,
            max_concurrent_streams: 256,
            max_in_flight: 2_048,
            max_in_flight_per_caller: 512,
            max_in_flight_per_peer: 1_024,
            request_body_seconds: 10,
            stream_idle_seconds: 30,
            score_stream_idle_seconds: 300,
            rate_per_token: 0.0,
            rate_burst: 1_000.0,
        }
    }
}

impl Config {
    /// Reads a TOML config file; unknown keys are refused by name.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            Error::invalid(format!("cannot read config {}: {err}", path.display()))
        })?;
        Self::from_toml(&text)
            .map_err(|err| Error::invalid(format!("config {}: {err}", path.display())))
    }

    /// Parses TOML text; unknown keys are refused by name.
    pub fn from_toml(text: &str) -> Result<Self> {
        let config: Config = toml::from_str(text).map_err(|err| Error::invalid(err.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Returns an error naming the first setting that makes no sense.
    pub fn validate(&self) -> Result<()> {
        self.matching.validate()?;
        if self.limits.max_message_bytes < 64 * 1024 {
            return Err(Error::invalid(
                "limits.max_message_bytes must be at least 65536",
            ));
        }
        if self.limits.stream_idle_seconds == 0 || self.limits.score_stream_idle_seconds == 0 {
            return Err(Error::invalid(
                "limits.stream_idle_seconds and limits.score_stream_idle_seconds must be at least 1",
            ));
        }
        self.store_url()?;
        if self.store.max_connections == 0 {
            return Err(Error::invalid("store.max_connections must be at least 1"));
        }
        let limits = &self.limits;
        if limits.max_in_flight == 0
            || limits.max_in_flight_per_caller == 0
            || limits.max_in_flight_per_peer == 0
        {
            return Err(Error::invalid(
                "limits.max_in_flight, limits.max_in_flight_per_caller and limits.max_in_flight_per_peer must be at least 1",
            ));
        }
        if limits.request_body_seconds == 0 {
            return Err(Error::invalid(
                "limits.request_body_seconds must be at least 1",
            ));
        }
        if limits.max_score_message_bytes < limits.max_content_bytes {
            return Err(Error::invalid(
                "limits.max_score_message_bytes must be at least limits.max_content_bytes",
            ));
        }
        for partner in self.ratings.keys() {
            self.rating_overrides(partner)?;
        }
        Ok(())
    }

    /// Returns where the stores live.
    pub fn store_url(&self) -> Result<StoreUrl> {
        match &self.store.url {
            Some(url) => StoreUrl::parse(url),
            None => Ok(StoreUrl::sqlite_in(&self.data_dir)),
        }
    }

    /// Returns a partner's rating overrides, keyed by folded wording.
    pub fn rating_overrides(&self, partner: &str) -> Result<HashMap<String, Verdict>> {
        let Some(ratings) = self.ratings.get(partner) else {
            return Ok(HashMap::new());
        };
        ratings
            .iter()
            .map(|(label, name)| {
                let verdict = Verdict::from_name(name).ok_or_else(|| {
                    Error::invalid(format!(
                        "ratings.{partner}: {name:?} is not a verdict (false, mostly_false, misleading, missing_context, unproven, satire, mixed, mostly_true, true, other)"
                    ))
                })?;
                Ok((crate::claims::verdict::rating_key(label), verdict))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_file_keeps_defaults() {
        let config =
            Config::from_toml("listen = \"0.0.0.0:9000\"\n[matching]\nauto_threshold = 0.9\n")
                .unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000");
        assert_eq!(config.matching.auto_threshold, 0.9);
        assert_eq!(
            config.matching.review_threshold,
            MatchConfig::default().review_threshold
        );
        assert_eq!(config.data_dir, PathBuf::from("index"));
    }

    #[test]
    fn durability_is_explicit() {
        assert_eq!(
            Config::default().hits.durability,
            crate::hits::Durability::FsyncPerBatch
        );
        let config = Config::from_toml("[hits]\ndurability = \"os_buffered\"\n").unwrap();
        assert_eq!(config.hits.durability, crate::hits::Durability::OsBuffered);
        assert!(Config::from_toml("[hits]\ndurability = \"maybe\"\n").is_err());
    }

    #[test]
    fn misspelled_key_is_refused_by_name() {
        let err = Config::from_toml("[matching]\nauto_treshold = 0.9\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("auto_treshold"), "{err}");
    }

    #[test]
    fn partner_ratings_are_checked() {
        let config =
            Config::from_toml("[ratings.aosfatos]\n\"Não é bem assim\" = \"misleading\"\n")
                .unwrap();
        let overrides = config.rating_overrides("aosfatos").unwrap();
        assert_eq!(overrides.get("nao e bem assim"), Some(&Verdict::Misleading));
        let err = Config::from_toml("[ratings.lupa]\n\"Ok\" = \"fine\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"fine\" is not a verdict"), "{err}");
    }

    #[test]
    fn inverted_thresholds_are_refused() {
        let err = Config::from_toml("[matching]\nreview_threshold = 0.9\nauto_threshold = 0.5\n")
            .unwrap_err();
        assert!(err.to_string().contains("review_threshold"));
    }

    #[test]
    fn kept_sentence_vectors_are_bounded() {
        let kept = Config::from_toml("[matching]\nsemantic_cache = 100\n").unwrap();
        assert_eq!(kept.matching.semantic_cache, 100);
        let err = Config::from_toml("[matching]\nsemantic_cache = 100000000\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("semantic_cache"), "{err}");
    }
}
