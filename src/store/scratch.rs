//! A throwaway PostgreSQL server in a temporary directory, listening on a
//! Unix socket only (no port to collide on), for the test suite and for
//! trying replicas on one machine. Needs the PostgreSQL server binaries
//! (`apt install postgresql`); found in `CLAIMSIGNAL_PG_BIN`, then
//! `/usr/lib/postgresql/<newest>/bin`, then `PATH`. PostgreSQL refuses to
//! run as root, so under root the server runs as the `postgres` user.
//!
//! The server runs under a small shell that reads its standard input from
//! this process and stops the server when that pipe closes: however this
//! process ends (a panic, `kill -9`), no PostgreSQL is left running, and
//! no cluster is left on disk.

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// A running scratch server; stopped and deleted on drop.
pub struct ScratchPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres_user: bool,
    /// The socket directory, percent-encoded as a URL host.
    host: String,
    url: String,
    /// The watchdog shell of the running server; its stdin is our pipe.
    server: Mutex<Option<Child>>,
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
            server: Mutex::new(None),
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

    /// Starts the server (after `stop_server`); returns once it accepts
    /// connections.
    pub fn start_server(&self) -> Result<()> {
        let mut server = self
            .server
            .lock()
            .map_err(|_| Error::Internal("scratch server lock poisoned".into()))?;
        if server.is_some() {
            return Ok(());
        }
        let dir = self.dir.path().display();
        // A shell starts its background commands with SIGQUIT ignored;
        // `env --default-signal` gives PostgreSQL its immediate-shutdown
        // signal back even before it installs its own handlers. The pipe
        // closing without "keep" (the test process ended, whether or not
        // it dropped the server: suites keep theirs in statics) also
        // deletes the cluster, which would otherwise stay in the temporary
        // directory (40 MB each, two dozen a test run).
        let script = format!(
            "env --default-signal=QUIT {postgres} -D {data} -k {dir} -c listen_addresses='' \
               -c fsync=off -c max_connections=200 >>{dir}/server.log 2>&1 & pid=$!; \
             read order; kill -QUIT $pid 2>/dev/null; wait $pid; \
             [ \"$order\" = keep ] || rm -rf {dir}",
            postgres = self.bin.join("postgres").display(),
            data = self.data_dir(),
        );
        let mut command = self.command("sh");
        command
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null());
        let child = command
            .spawn()
            .map_err(|err| Error::Unavailable(format!("cannot start PostgreSQL: {err}")))?;
        *server = Some(child);
        drop(server);
        self.wait_until_ready()
    }

    /// Polls `pg_isready` (a process, not a client of ours: callers may be
    /// inside an async runtime, where the blocking client must not run).
    fn wait_until_ready(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let socket_dir = self.dir.path().to_string_lossy().to_string();
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", &socket_dir, "-U", "postgres"])
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                let log =
                    std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
                return Err(Error::Unavailable(format!(
                    "scratch PostgreSQL did not start within a minute:\n{log}"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server at once, as a crash would (SIGQUIT, PostgreSQL's
    /// immediate shutdown): what was committed survives, open connections
    /// break. Returns once it has exited.
    pub fn stop_server(&self) -> Result<()> {
        let child = self
            .server
            .lock()
            .map_err(|_| Error::Internal("scratch server lock poisoned".into()))?
            .take();
        if let Some(mut child) = child {
            // The watchdog stops the server and keeps the cluster, which
            // may be started again (a drop deletes it with the directory).
            if let Some(mut pipe) = child.stdin.take() {
                let _ = pipe.write_all(b"keep\n");
            }
            child.wait()?;
        }
        Ok(())
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").to_string_lossy().to_string()
    }

    fn pg(&self, program: &str, args: &[&str]) -> Result<()> {
        let mut command = self.command(&self.bin.join(program).to_string_lossy());
        command.args(args);
        run(&mut command)
    }

    /// `program`, as the `postgres` user when this process is root.
    fn command(&self, program: &str) -> Command {
        if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--", program]);
            command
        } else {
            Command::new(program)
        }
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        let _ = self.stop_server();
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
