//! Opening a data directory: one process per directory (and per SQLite
//! store), the three stores where the store URL says, and rebuilding the
//! index offline.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::auth::Auth;
use crate::claims::ClaimStore;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::hits::HitStore;
use crate::index::ClaimIndex;
use crate::store::{PgPool, StoreUrl};

/// Opens the three stores where `url` says.
pub(super) fn open_stores(url: &StoreUrl, config: &Config) -> Result<(ClaimStore, HitStore, Auth)> {
    match url {
        StoreUrl::Sqlite(dir) => {
            std::fs::create_dir_all(dir)?;
            Ok((
                ClaimStore::open(&dir.join("claims.db"))?,
                HitStore::open_with(&dir.join("hits.db"), config.hits.durability)?,
                Auth::open(&dir.join("claims.db"))?,
            ))
        }
        StoreUrl::Postgres(url) => {
            let pool = PgPool::connect(url, config.store.max_connections)?;
            Ok((
                ClaimStore::postgres(pool.clone()),
                HitStore::postgres(pool.clone())?,
                Auth::postgres(pool)?,
            ))
        }
    }
}

/// Takes an exclusive lock on `<dir>/LOCK` for the life of the returned
/// file, or fails with a message naming the directory.
pub(super) fn lock_data_dir(dir: &Path) -> Result<File> {
    let path: PathBuf = dir.join("LOCK");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Unavailable(format!(
            "data directory {} is in use by another claimsignal process; stop it or pass another --data-dir",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(err)) => Err(err.into()),
    }
}

/// Locks the directory of SQLite stores that live apart from the data
/// directory (`--store sqlite://DIR`): two servers with their own data
/// directories over one SQLite store would each keep an index the other's
/// writes never reach. A shared PostgreSQL store is meant for replicas
/// and is not locked.
pub(super) fn lock_store(store: &StoreUrl, data_dir: &Path) -> Result<Option<File>> {
    let StoreUrl::Sqlite(store_dir) = store else {
        return Ok(None);
    };
    std::fs::create_dir_all(store_dir)?;
    let same = std::fs::canonicalize(store_dir)? == std::fs::canonicalize(data_dir)?;
    if same {
        return Ok(None);
    }
    lock_data_dir(store_dir)
        .map(Some)
        .map_err(|err| match err {
            Error::Unavailable(_) => Error::Unavailable(format!(
                "store {} is in use by another claimsignal process; stop it, or share a PostgreSQL store between replicas",
                store_dir.display()
            )),
            other => other,
        })
}

/// Rebuilds the claim index of a data directory from its claim store.
/// Returns the number of claims applied. Blocking; the directory must not
/// be in use.
pub fn reindex(data_dir: &Path, store: &StoreUrl) -> Result<usize> {
    std::fs::create_dir_all(data_dir)?;
    let _lock = lock_data_dir(data_dir)?;
    let _store_lock = lock_store(store, data_dir)?;
    let claims = match store {
        StoreUrl::Sqlite(dir) => ClaimStore::open(&dir.join("claims.db"))?,
        StoreUrl::Postgres(url) => ClaimStore::postgres(PgPool::connect(url, 1)?),
    };
    let index = ClaimIndex::open(&data_dir.join("claims"), &claims)?;
    index.rebuild(&claims)
}
