//! Talking to a running server: the token and TLS identity every
//! command sends, the channel, and printing what comes back.

use std::path::PathBuf;

use anyhow::Context;

use super::DEFAULT_SERVER;

/// Where a client command finds the server, and how it proves who it is.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// Server address (`host:port` or `http(s)://host:port`).
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
    /// Access token (`Bearer` in `authorization`; pasted with its `Bearer `
    /// prefix works too).
    #[arg(long, env = "CLAIMSIGNAL_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// CA certificate (PEM) to trust for an `https://` server.
    #[arg(long, env = "CLAIMSIGNAL_CA")]
    pub ca: Option<PathBuf>,
    /// Client certificate (PEM) for servers that require mutual TLS.
    #[arg(long, env = "CLAIMSIGNAL_CLIENT_CERT", requires = "client_key")]
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key (PEM).
    #[arg(long, env = "CLAIMSIGNAL_CLIENT_KEY", requires = "client_cert")]
    pub client_key: Option<PathBuf>,
}

/// Largest message the CLI accepts from the server.
pub(super) const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

static TOKEN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Remembers the token client commands send (as given, or pasted with
/// its `Bearer ` prefix).
pub(super) fn set_token(token: Option<String>) {
    let token = token.map(|t| {
        let t = t.trim();
        t.strip_prefix("Bearer ")
            .or_else(|| t.strip_prefix("bearer "))
            .unwrap_or(t)
            .trim()
            .to_string()
    });
    let _ = TOKEN.set(token.filter(|t| !t.is_empty()));
}

/// Returns what to print for a refused call: the server's reason, and
/// what to do when the fix is on this side.
pub(super) fn explain(status: &tonic::Status) -> String {
    let message = status.message();
    let has_token = matches!(TOKEN.get(), Some(Some(_)));
    match status.code() {
        tonic::Code::Unauthenticated if !has_token => {
            format!("{message} (pass --token, or set CLAIMSIGNAL_TOKEN)")
        }
        _ => message.to_string(),
    }
}

/// Returns the address of a server as given, `http://` added to a bare
/// `host:port`.
fn server_url(server: &str) -> String {
    if server.contains("://") {
        server.to_string()
    } else {
        format!("http://{server}")
    }
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

/// Returns a channel to the server `client` names; the calls made on it
/// carry its token (see [`authed`]).
pub(super) async fn channel(client: &ClientArgs) -> anyhow::Result<tonic::transport::Channel> {
    set_token(client.token.clone());
    set_tls(ClientTls {
        ca: client.ca.clone(),
        identity: client.client_cert.clone().zip(client.client_key.clone()),
    });
    connect(&client.server).await
}

/// Returns a channel to `server` with the token and TLS settings already
/// set (`bench --server`).
pub(super) async fn connect(server: &str) -> anyhow::Result<tonic::transport::Channel> {
    connect_from(server, None).await
}

/// Returns a channel to `server` whose connection leaves from `local`
/// when given (the bench's neighbours, another caller of an open
/// service: such callers are told apart by address).
pub(super) async fn connect_from(
    server: &str,
    local: Option<std::net::IpAddr>,
) -> anyhow::Result<tonic::transport::Channel> {
    let url = server_url(server);
    let mut endpoint = tonic::transport::Endpoint::from_shared(url.clone())
        .with_context(|| {
            format!("bad server address {server:?} (expected host:port or http(s)://host:port)")
        })?
        .local_address(local);
    let tls = url.starts_with("https://");
    if tls {
        endpoint = endpoint
            .tls_config(client_tls_config()?)
            .context("TLS settings")?;
    }
    endpoint.connect().await.map_err(|err| {
        let chain = format!("{:?}", anyhow::Error::from(err)).to_lowercase();
        let hint = if tls && ["tls", "handshake", "certificate", "corrupt"].iter().any(|w| chain.contains(w)) {
            "the TLS handshake failed: if the server does not serve TLS, use http://; else check --ca"
        } else {
            "is `claimsignal serve` running there?"
        };
        anyhow::anyhow!("cannot connect to {url}: {hint}")
    })
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
