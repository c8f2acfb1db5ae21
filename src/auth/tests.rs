//! Tests of `mod`.

use super::hash;
use super::*;
use crate::store::PgPool;

#[test]
fn tokens_are_hashed_checked_and_revocable() -> Result<()> {
    let dir = tempfile::tempdir()?;
    tokens_checked(&Auth::open(&dir.path().join("claims.db"))?)?;
    let pg = crate::store::scratch::ScratchPostgres::start()?;
    tokens_checked(&Auth::postgres(PgPool::connect(pg.url(), 2)?)?)
}

#[test]
fn a_replica_sees_tokens_another_created_once_refreshed() -> Result<()> {
    let pg = crate::store::scratch::ScratchPostgres::start()?;
    let pool = PgPool::connect(pg.url(), 2)?;
    let (a, b) = (Auth::postgres(pool.clone())?, Auth::postgres(pool)?);
    let (info, secret) = a.create("pipeline", &[Role::Pipeline], None, "test")?;
    assert_eq!(
        b.authenticate(None)?,
        Principal::anonymous(),
        "not yet re-read"
    );
    b.refresh()?;
    assert_eq!(b.authenticate(Some(&secret))?.name, "pipeline");
    a.revoke(info.id, "test")?;
    b.refresh()?;
    assert!(matches!(
        b.authenticate(Some(&secret)),
        Err(Error::Unauthenticated(_))
    ));
    assert!(b.enabled()?, "revoking the last token locks, never reopens");
    Ok(())
}

fn stored_hashes(auth: &Auth) -> Result<Vec<String>> {
    if let Some(pool) = auth.pool() {
        let rows = pool.get()?.query("SELECT hash FROM tokens", &[])?;
        return Ok(rows.iter().map(|row| row.get(0)).collect());
    }
    let conn = auth.lock()?;
    let mut stmt = conn.prepare("SELECT hash FROM tokens")?;
    let hashes = stmt.query_map([], |r| r.get(0))?;
    Ok(hashes.collect::<rusqlite::Result<_>>()?)
}

fn tokens_checked(auth: &Auth) -> Result<()> {
    assert_eq!(
        auth.authenticate(None)?,
        Principal::anonymous(),
        "open until a token exists"
    );
    let (info, secret) = auth.create(
        "aosfatos-loader",
        &[Role::Partner],
        Some("aosfatos"),
        "test",
    )?;
    assert!(secret.starts_with("cs_") && secret.len() > 40);
    assert_eq!(
        stored_hashes(auth)?,
        [hash(&secret)],
        "never stored in clear"
    );
    let principal = auth.authenticate(Some(&secret))?;
    assert_eq!(principal.bound_partner(), Some("aosfatos"));
    assert!(principal.require(&[Role::Partner]).is_ok());
    assert!(matches!(
        principal.require(&[Role::Reporter]),
        Err(Error::PermissionDenied(_))
    ));
    assert!(matches!(
        auth.authenticate(None),
        Err(Error::Unauthenticated(_))
    ));
    assert!(matches!(
        auth.authenticate(Some("cs_wrong")),
        Err(Error::Unauthenticated(_))
    ));
    let (_, admin) = auth.create("root", &[Role::Admin], None, "test")?;
    auth.revoke(info.id, "test")?;
    assert!(matches!(
        auth.authenticate(Some(&secret)),
        Err(Error::Unauthenticated(_))
    ));
    assert!(
        auth.authenticate(Some(&admin))?
            .require(&[Role::Reviewer])
            .is_ok()
    );
    assert!(
        auth.create("p", &[Role::Partner], None, "test").is_err(),
        "a partner token names its partner"
    );
    assert_eq!(auth.audit_trail(10)?.len(), 3);
    Ok(())
}
