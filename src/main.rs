//! The `claimsignal` binary: parses the command line, starts logging, and
//! hands over to the library.

use std::io::IsTerminal;

use claimsignal::cli::{Cli, LogFormat, run};
use clap::Parser;
use tracing_subscriber::EnvFilter;

// See Cargo.toml for why.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter =
        EnvFilter::try_from_env("CLAIMSIGNAL_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal, not in a log file.
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => subscriber.init(),
        LogFormat::Json => subscriber.json().init(),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => std::process::ExitCode::from(code.clamp(0, 255) as u8),
        // `claimsignal hits | head`: the reader has what it wanted.
        Err(err) if reader_gone(&err) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Returns true when an error is output going to a pipe whose reader has
/// closed it.
fn reader_gone(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            match cause.downcast_ref::<csv::Error>().map(csv::Error::kind) {
                Some(csv::ErrorKind::Io(io)) => Some(io),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_the_reader_being_done_and_nothing_else_is() {
        let closed = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(reader_gone(&anyhow::Error::from(closed())));
        assert!(reader_gone(&anyhow::Error::from(
            csv::Error::from(closed())
        )));
        let context = anyhow::Error::from(closed()).context("writing hits");
        assert!(reader_gone(&context));
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(!reader_gone(&anyhow::Error::from(full)));
    }
}
