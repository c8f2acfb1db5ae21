//! A throwaway PostgreSQL server in a temporary directory, listening on a
//! Unix socket only (no port to collide on), for the test suite and for
//! trying replicas on one machine. Needs the PostgreSQL server binaries
//! (`apt install postgresql`); found in `CLAIMSIGNAL_PG_BIN`, then
//! `/usr/lib/postgresql/<newest>/bin`, then `PATH`. PostgreSQL refuses to
//! run as root, so under root the server runs as the `postgres` user.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// A running scratch server; stopped and deleted on drop.
pub struct ScratchPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres_user: bool,
    /// The socket directory, percent-encoded as a URL host.
    host: String,
    url: String,
}

impl ScratchPostgres {
    /// Creates a cluster in a fresh temporary directory and starts it.
    pub fn start() -> Result<Self> {
        let bin = find_bin()?;
        let dir = tempfile::Builder::new()
            .prefix("claimsignal-pg")
            .tempdir()?;
        let as_postgres_user = std::fs::metadata("/proc/self")?.uid() == 0;
        if as_postgres_user {
            run(Command::new("chown").arg("postgres:").arg(dir.path()))?;
        }
        let socket_dir = dir.path().to_string_lossy().to_string();
        // Percent-encoded socket directory as the host: a Unix socket.
        let host: String = socket_dir.replace('/', "%2F");
        let scratch = ScratchPostgres {
            url: format!("postgres://postgres@{host}/postgres"),
            host,
            dir,
            bin,
            as_postgres_user,
        };
        let data = scratch.data_dir();
        scratch.pg(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        scratch.start_server()?;
        Ok(scratch)
    }

    /// The connection URL (user `postgres`, database `postgres`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Creates a database and returns its URL: one per test keeps tests
    /// that share a server apart.
    pub fn create_database(&self, name: &str) -> Result<String> {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls)?;
        client.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
        Ok(format!("postgres://postgres@{}/{name}", self.host))
    }

    /// Starts the server (after `stop`); returns once it accepts connections.
    pub fn start_server(&self) -> Result<()> {
        let data = self.data_dir();
        let log = self.dir.path().join("server.log");
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c max_connections=200",
            self.dir.path().display()
        );
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &data,
                "-l",
                &log.to_string_lossy(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        )
    }

    /// Stops the server at once, as a crash would (`-m immediate`): what
    /// was committed survives, open connections break.
    pub fn stop_server(&self) -> Result<()> {
        let data = self.data_dir();
        self.pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"])
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").to_string_lossy().to_string()
    }

    fn pg(&self, program: &str, args: &[&str]) -> Result<()> {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        command.args(args);
        run(&mut command)
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        let data = self.data_dir();
        if Path::new(&data).join("postmaster.pid").exists() {
            let _ = self.pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        }
    }
}

fn run(command: &mut Command) -> Result<()> {
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|err| Error::Unavailable(format!("cannot run {command:?}: {err}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::Unavailable(format!(
            "{command:?} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )))
    }
}

fn find_bin() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CLAIMSIGNAL_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").exists());
    on_path.ok_or_else(|| {
        Error::Unavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them \
             (`apt install postgresql`) or set CLAIMSIGNAL_PG_BIN"
                .into(),
        )
    })
}
