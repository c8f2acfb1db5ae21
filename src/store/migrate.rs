//! Versioned schema migrations, embedded in the binary and applied at start.
//!
//! Each backend has its list; a database records the versions applied in
//! `schema_migrations`. Opening applies what is missing, in order, in one
//! transaction, and refuses a database that has a version this binary does
//! not know (written by a newer claimsignal): running old code against a
//! newer schema could silently drop what the new columns mean.
//!
//! Written here rather than taken from a migration crate: the ones that
//! support both rusqlite and postgres pin older rusqlite versions than this
//! crate's, and the rule that matters (refuse a newer schema) is ten lines.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// One schema change.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Increasing from 1, never reused.
    pub version: i64,
    /// What it does, recorded beside the version.
    pub name: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// `claims.db`: claims with their change sequence, tokens, the audit trail.
pub const SQLITE_CLAIMS: &[Migration] = &[Migration {
    version: 1,
    name: "claims, tokens and audit",
    sql: "
CREATE TABLE IF NOT EXISTS claims (
    id          TEXT PRIMARY KEY,
    partner     TEXT NOT NULL,
    language    TEXT NOT NULL,
    status      INTEGER NOT NULL,
    seq         INTEGER NOT NULL UNIQUE,
    updated_ms  INTEGER NOT NULL,
    content     TEXT NOT NULL,
    raw         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_partner ON claims (partner, id);
CREATE TABLE IF NOT EXISTS tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT NOT NULL,
    partner     TEXT,
    hash        TEXT NOT NULL UNIQUE,
    created_ms  INTEGER NOT NULL,
    revoked_ms  INTEGER
);
CREATE TABLE IF NOT EXISTS audit (
    id      INTEGER PRIMARY KEY,
    at_ms   INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
",
}];

/// `hits.db`: hits (one row per video and claim) and their reviews.
pub const SQLITE_HITS: &[Migration] = &[Migration {
    version: 1,
    name: "hits and reviews",
    sql: "
CREATE TABLE IF NOT EXISTS hits (
    id              INTEGER PRIMARY KEY,
    video_id        TEXT NOT NULL,
    claim_id        TEXT NOT NULL,
    partner         TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    market          TEXT NOT NULL,
    language        TEXT NOT NULL,
    source          TEXT NOT NULL,
    confidence      REAL NOT NULL,
    level           INTEGER NOT NULL,
    start_ms        INTEGER NOT NULL,
    end_ms          INTEGER NOT NULL,
    excerpt         TEXT NOT NULL,
    observed_ms     INTEGER NOT NULL,
    first_logged_ms INTEGER NOT NULL,
    last_seen_ms    INTEGER NOT NULL,
    times_seen      INTEGER NOT NULL,
    view_count      INTEGER NOT NULL,
    elections       TEXT NOT NULL,
    also_claims     TEXT NOT NULL DEFAULT '[]',
    outcome         TEXT,
    action          TEXT,
    reviewer        TEXT,
    note            TEXT,
    reviewed_ms     INTEGER,
    UNIQUE (video_id, claim_id)
);
-- Covers every column a summary reads, so reports scan a period in
-- observation order without touching excerpts.
CREATE INDEX IF NOT EXISTS hits_report ON hits (observed_ms, market, partner, verdict, language, source,
    level, video_id, claim_id, view_count, outcome, action, elections);
CREATE TABLE IF NOT EXISTS reviews (
    id          INTEGER PRIMARY KEY,
    hit_id      INTEGER NOT NULL REFERENCES hits (id),
    outcome     TEXT NOT NULL,
    action      TEXT NOT NULL,
    reviewer    TEXT NOT NULL,
    note        TEXT NOT NULL,
    reviewed_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_hit ON reviews (hit_id);
",
},
Migration {
    version: 2,
    name: "hit stance",
    // The report index covers the stance too, as it covers every column a
    // summary reads.
    sql: "
ALTER TABLE hits ADD COLUMN stance TEXT NOT NULL DEFAULT 'repeats';
DROP INDEX IF EXISTS hits_report;
CREATE INDEX hits_report ON hits (observed_ms, market, partner, verdict, language, source,
    level, video_id, claim_id, view_count, outcome, action, elections, stance);
",
},
Migration {
    version: 3,
    name: "videos scanned",
    sql: SCANS,
},
Migration {
    version: 4,
    name: "hit topic and review timings",
    sql: "
ALTER TABLE hits ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE hits ADD COLUMN first_views INTEGER;
ALTER TABLE hits ADD COLUMN first_reviewed_ms INTEGER;
ALTER TABLE hits ADD COLUMN actioned_ms INTEGER;
ALTER TABLE hits ADD COLUMN action_views INTEGER;
UPDATE hits SET first_views = view_count;
UPDATE hits SET first_reviewed_ms = (SELECT MIN(r.reviewed_ms) FROM reviews r WHERE r.hit_id = hits.id);
UPDATE hits SET actioned_ms = (SELECT MIN(r.reviewed_ms) FROM reviews r WHERE r.hit_id = hits.id AND r.action = hits.action),
    action_views = view_count
    WHERE outcome = 'confirmed' AND action IN ('removed', 'labelled', 'limited');
-- A partner changing a claim's topic updates its hits.
CREATE INDEX IF NOT EXISTS hits_claim ON hits (claim_id);
DROP INDEX IF EXISTS hits_report;
CREATE INDEX hits_report ON hits (observed_ms, market, partner, verdict, language, source,
    level, video_id, claim_id, view_count, outcome, action, elections, stance, topic,
    first_views, first_logged_ms, first_reviewed_ms, actioned_ms, action_views);
",
},
Migration {
    version: 5,
    name: "why a hit matched",
    sql: HIT_REASONS,
}];

/// What tells a reviewer why a hit matched: the claim's words found in
/// its excerpt and how near it is by meaning (none for hits logged before,
/// or whose content the encoder did not read).
const HIT_REASONS: &str = "
ALTER TABLE hits ADD COLUMN matched_terms TEXT NOT NULL DEFAULT '[]';
ALTER TABLE hits ADD COLUMN meaning REAL;
";

/// Videos scanned per day (`YYYY-MM-DD`, of when they were seen), market,
/// source and language: counters, not rows.
const SCANS: &str = "
CREATE TABLE IF NOT EXISTS scans (
    day      TEXT NOT NULL,
    market   TEXT NOT NULL,
    source   TEXT NOT NULL,
    language TEXT NOT NULL,
    videos   BIGINT NOT NULL,
    PRIMARY KEY (day, market, source, language)
);
";

/// The shared PostgreSQL database: every table of both SQLite files.
/// Integers are BIGINT throughout (Rust `i64`).
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "claims, tokens, audit, hits and reviews",
        sql: "
CREATE TABLE claims (
    id          TEXT PRIMARY KEY,
    partner     TEXT NOT NULL,
    language    TEXT NOT NULL,
    status      BIGINT NOT NULL,
    seq         BIGINT NOT NULL UNIQUE,
    updated_ms  BIGINT NOT NULL,
    content     TEXT NOT NULL,
    raw         TEXT NOT NULL
);
CREATE INDEX claims_partner ON claims (partner, id);
CREATE TABLE tokens (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT NOT NULL,
    partner     TEXT,
    hash        TEXT NOT NULL UNIQUE,
    created_ms  BIGINT NOT NULL,
    revoked_ms  BIGINT
);
CREATE TABLE audit (
    id      BIGSERIAL PRIMARY KEY,
    at_ms   BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE TABLE hits (
    id              BIGSERIAL PRIMARY KEY,
    video_id        TEXT NOT NULL,
    claim_id        TEXT NOT NULL,
    partner         TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    market          TEXT NOT NULL,
    language        TEXT NOT NULL,
    source          TEXT NOT NULL,
    confidence      DOUBLE PRECISION NOT NULL,
    level           BIGINT NOT NULL,
    start_ms        BIGINT NOT NULL,
    end_ms          BIGINT NOT NULL,
    excerpt         TEXT NOT NULL,
    observed_ms     BIGINT NOT NULL,
    first_logged_ms BIGINT NOT NULL,
    last_seen_ms    BIGINT NOT NULL,
    times_seen      BIGINT NOT NULL,
    view_count      BIGINT NOT NULL,
    elections       TEXT NOT NULL,
    also_claims     TEXT NOT NULL DEFAULT '[]',
    outcome         TEXT,
    action          TEXT,
    reviewer        TEXT,
    note            TEXT,
    reviewed_ms     BIGINT,
    -- The dedupe rule: one row per (video, claim), enforced by the
    -- database so replicas logging the same pair at once cannot race.
    UNIQUE (video_id, claim_id)
);
CREATE INDEX hits_observed ON hits (observed_ms);
CREATE TABLE reviews (
    id          BIGSERIAL PRIMARY KEY,
    hit_id      BIGINT NOT NULL REFERENCES hits (id),
    outcome     TEXT NOT NULL,
    action      TEXT NOT NULL,
    reviewer    TEXT NOT NULL,
    note        TEXT NOT NULL,
    reviewed_ms BIGINT NOT NULL
);
CREATE INDEX reviews_hit ON reviews (hit_id);
-- Names this database, so a replica's index built from another database
-- is rebuilt rather than trusted.
CREATE TABLE store_identity (id TEXT NOT NULL);
INSERT INTO store_identity VALUES (md5(random()::text || clock_timestamp()::text));
",
    },
    Migration {
        version: 2,
        name: "hit stance",
        sql: "ALTER TABLE hits ADD COLUMN stance TEXT NOT NULL DEFAULT 'repeats';",
    },
    Migration {
        version: 3,
        name: "videos scanned",
        sql: SCANS,
    },
    Migration {
        version: 4,
        name: "hit topic and review timings",
        sql: "
ALTER TABLE hits ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE hits ADD COLUMN first_views BIGINT;
ALTER TABLE hits ADD COLUMN first_reviewed_ms BIGINT;
ALTER TABLE hits ADD COLUMN actioned_ms BIGINT;
ALTER TABLE hits ADD COLUMN action_views BIGINT;
UPDATE hits SET first_views = view_count;
UPDATE hits SET first_reviewed_ms = (SELECT MIN(r.reviewed_ms) FROM reviews r WHERE r.hit_id = hits.id);
UPDATE hits SET actioned_ms = (SELECT MIN(r.reviewed_ms) FROM reviews r WHERE r.hit_id = hits.id AND r.action = hits.action),
    action_views = view_count
    WHERE outcome = 'confirmed' AND action IN ('removed', 'labelled', 'limited');
CREATE INDEX hits_claim ON hits (claim_id);
",
    },
    Migration {
        version: 5,
        name: "why a hit matched",
        sql: "
ALTER TABLE hits ADD COLUMN matched_terms TEXT NOT NULL DEFAULT '[]';
ALTER TABLE hits ADD COLUMN meaning DOUBLE PRECISION;
",
    },
];

/// Logs an applied migration: quietly when it creates a new store (every
/// `eval` and test does), at info level when it upgrades one.
fn log_applied(what: &str, from: i64, migration: &Migration) {
    let (version, name) = (migration.version, migration.name);
    if from == 0 {
        tracing::debug!(store = what, version, name, "schema created");
    } else {
        tracing::info!(store = what, version, name, "schema migrated");
    }
}

/// Refuses a database whose schema is newer than `known`.
fn check_not_newer(current: i64, known: &[Migration], what: &str) -> Result<()> {
    let newest = known.last().map_or(0, |m| m.version);
    if current > newest {
        return Err(Error::Unavailable(format!(
            "{what} has schema version {current}, newer than this claimsignal knows ({newest}); \
             run the newer claimsignal or restore a matching backup"
        )));
    }
    Ok(())
}

/// Brings a SQLite file (named `what` in errors) up to the newest schema.
pub fn sqlite(conn: &mut Connection, what: &str, migrations: &[Migration]) -> Result<()> {
    // IMMEDIATE: two processes opening the same file migrate one at a time.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_ms INTEGER NOT NULL
        )",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?;
    check_not_newer(current, migrations, what)?;
    for migration in migrations.iter().filter(|m| m.version > current) {
        tx.execute_batch(migration.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                migration.version,
                migration.name,
                chrono::Utc::now().timestamp_millis()
            ],
        )?;
        log_applied(what, current, migration);
    }
    tx.commit()?;
    Ok(())
}

/// Brings the shared PostgreSQL database up to the newest schema. Replicas
/// starting together take turns on an advisory lock.
pub fn postgres(client: &mut postgres::Client) -> Result<()> {
    postgres_with(client, POSTGRES)
}

fn postgres_with(client: &mut postgres::Client, migrations: &[Migration]) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('claimsignal.migrate'))",
        &[],
    )?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_ms BIGINT NOT NULL
        )",
    )?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )?
        .get(0);
    check_not_newer(current, migrations, "the PostgreSQL store")?;
    for migration in migrations.iter().filter(|m| m.version > current) {
        tx.batch_execute(migration.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)",
            &[
                &migration.version,
                &migration.name,
                &chrono::Utc::now().timestamp_millis(),
            ],
        )?;
        log_applied("postgres", current, migration);
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_migrates_once_and_refuses_a_newer_schema() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        sqlite(&mut conn, "claims.db", SQLITE_CLAIMS)?;
        sqlite(&mut conn, "claims.db", SQLITE_CLAIMS)?;
        let applied: i64 =
            conn.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))?;
        assert_eq!(applied, SQLITE_CLAIMS.len() as i64);
        conn.execute(
            "INSERT INTO schema_migrations VALUES (99, 'from the future', 0)",
            [],
        )?;
        let err = sqlite(&mut conn, "claims.db", SQLITE_CLAIMS).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("claims.db has schema version 99"), "{text}");
        assert!(
            text.contains("newer than this claimsignal knows (1)"),
            "{text}"
        );
        Ok(())
    }

    #[test]
    fn versions_increase_in_every_list() {
        for list in [SQLITE_CLAIMS, SQLITE_HITS, POSTGRES] {
            let versions: Vec<i64> = list.iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=list.len() as i64).collect();
            assert_eq!(versions, expected);
        }
    }

    #[test]
    fn postgres_migrates_once_and_refuses_a_newer_schema() -> Result<()> {
        let pg = super::super::scratch::ScratchPostgres::start()?;
        let mut client = postgres::Client::connect(pg.url(), postgres::NoTls)?;
        postgres_with(&mut client, POSTGRES)?;
        postgres_with(&mut client, POSTGRES)?;
        let tables: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('claims', 'hits', 'reviews', 'tokens', 'audit')",
                &[],
            )?
            .get(0);
        assert_eq!(tables, 5);
        client.execute(
            "INSERT INTO schema_migrations VALUES (7, 'from the future', 0)",
            &[],
        )?;
        let text = postgres_with(&mut client, POSTGRES)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("schema version 7, newer than this claimsignal knows"),
            "{text}"
        );
        Ok(())
    }
}
