//! A raw HTTP/2 gRPC client for the attack tests: it sends what no gRPC
//! library would (a call whose body never comes, bytes that are not a
//! message, a frame header promising 16 MB) and reads the status back.

use std::net::SocketAddr;

use bytes::Bytes;
use h2::SendStream;
use h2::client::{ResponseFuture, SendRequest};

/// An HTTP/2 connection to a test server.
pub struct RawConnection {
    sender: SendRequest<Bytes>,
    addr: SocketAddr,
}

impl RawConnection {
    /// Connects to `addr`.
    pub async fn open(addr: SocketAddr) -> anyhow::Result<Self> {
        let tcp = tokio::net::TcpStream::connect(addr).await?;
        let (sender, connection) = h2::client::handshake(tcp).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(RawConnection { sender, addr })
    }

    /// Sends a call's headers and leaves its body open: returns the
    /// response to come and the body's sender.
    pub async fn open_call(
        &mut self,
        path: &str,
        token: Option<&str>,
    ) -> anyhow::Result<(ResponseFuture, SendStream<Bytes>)> {
        let mut request = http::Request::post(format!("http://{}{path}", self.addr))
            .header("content-type", "application/grpc")
            .header("te", "trailers");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let sender = self.sender.clone().ready().await?;
        self.sender = sender;
        Ok(self.sender.send_request(request.body(())?, false)?)
    }

    /// Sends a whole call with `body` as its request body. The server may
    /// answer and close the call before all of it is sent (a message it
    /// refuses from its header): the answer is what counts.
    pub async fn call(
        &mut self,
        path: &str,
        token: Option<&str>,
        body: Bytes,
    ) -> anyhow::Result<ResponseFuture> {
        let (response, mut stream) = self.open_call(path, token).await?;
        let _ = send_all(&mut stream, body).await;
        Ok(response)
    }
}

/// Sends `body` on `stream` as flow control allows, then ends it.
pub async fn send_all(stream: &mut SendStream<Bytes>, mut body: Bytes) -> anyhow::Result<()> {
    while !body.is_empty() {
        stream.reserve_capacity(body.len());
        let granted = std::future::poll_fn(|cx| stream.poll_capacity(cx))
            .await
            .ok_or_else(|| anyhow::anyhow!("the stream closed"))??;
        let chunk = body.split_to(granted.min(body.len()));
        stream.send_data(chunk, false)?;
    }
    stream.send_data(Bytes::new(), true)?;
    Ok(())
}

/// Returns a gRPC frame holding `message`.
pub fn frame(message: &[u8]) -> Bytes {
    let mut framed = Vec::with_capacity(message.len() + 5);
    framed.push(0);
    framed.extend_from_slice(&(message.len() as u32).to_be_bytes());
    framed.extend_from_slice(message);
    Bytes::from(framed)
}

/// Returns the gRPC status code and message of a call's answer, from its
/// headers (an answer with no message) or its trailers.
pub async fn status(response: ResponseFuture) -> anyhow::Result<(i32, String)> {
    let response = response.await?;
    let read = |headers: &http::HeaderMap| -> Option<(i32, String)> {
        let code = headers.get("grpc-status")?.to_str().ok()?.parse().ok()?;
        let message = headers
            .get("grpc-message")
            .and_then(|m| m.to_str().ok())
            .map(percent_decode)
            .unwrap_or_default();
        Some((code, message))
    };
    if let Some(status) = read(response.headers()) {
        return Ok(status);
    }
    let mut body = response.into_body();
    while let Some(chunk) = body.data().await {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
    }
    let trailers = body.trailers().await?.unwrap_or_default();
    read(&trailers).ok_or_else(|| anyhow::anyhow!("no grpc-status in the answer"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
