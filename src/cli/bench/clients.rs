//! The gRPC clients of a bench run: each sends its share of the requests
//! over `Score` or `ScoreStream` and times every answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use indicatif::ProgressBar;
use tonic::transport::Channel;

use super::corpus::request;
use crate::proto::v1 as pb;

/// What the bench reads of a `ScoreResponse`: the request it answers,
/// its error, and which matches were logged as hits. The server sends
/// whole answers; the bench's clients share the server's two cores, so
/// they skip the rest (claim cards, excerpts) unread instead of spending
/// the cores the server is measured on. The tags are `ScoreResponse`'s.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct Answer {
    #[prost(string, tag = "1")]
    pub(super) request_id: String,
    #[prost(message, repeated, tag = "5")]
    pub(super) matches: Vec<AnsweredMatch>,
    #[prost(message, optional, tag = "7")]
    pub(super) error: Option<pb::ScoreError>,
}

/// What the bench reads of a `Match`.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct AnsweredMatch {
    #[prost(string, tag = "13")]
    pub(super) hit_id: String,
}

/// `Matcher.Score` and `Matcher.ScoreStream`, answered with `Answer`s.
#[derive(Clone)]
pub(super) struct BenchClient(tonic::client::Grpc<Channel>);

impl BenchClient {
    pub(super) fn new(channel: Channel) -> Self {
        BenchClient(tonic::client::Grpc::new(channel))
    }

    /// Waits for the channel, and returns the codec of both calls.
    pub(super) async fn ready(
        &mut self,
    ) -> Result<tonic_prost::ProstCodec<pb::ScoreRequest, Answer>, tonic::Status> {
        self.0
            .ready()
            .await
            .map_err(|err| tonic::Status::unavailable(err.to_string()))?;
        Ok(tonic_prost::ProstCodec::default())
    }

    pub(super) async fn score(
        &mut self,
        request: pb::ScoreRequest,
    ) -> Result<Answer, tonic::Status> {
        let codec = self.ready().await?;
        let path = http::uri::PathAndQuery::from_static("/claimsignal.v1.Matcher/Score");
        let request = super::super::client::authed(request);
        Ok(self.0.unary(request, path, codec).await?.into_inner())
    }

    pub(super) async fn score_stream(
        &mut self,
        requests: impl futures::Stream<Item = pb::ScoreRequest> + Send + 'static,
    ) -> Result<tonic::Streaming<Answer>, tonic::Status> {
        let codec = self.ready().await?;
        let path = http::uri::PathAndQuery::from_static("/claimsignal.v1.Matcher/ScoreStream");
        let requests = super::super::client::authed(requests);
        Ok(self.0.streaming(requests, path, codec).await?.into_inner())
    }
}

/// What one client saw.
#[derive(Default)]
pub(super) struct ClientRun {
    pub(super) latencies: Vec<Duration>,
    pub(super) errors: usize,
    pub(super) hits: usize,
    pub(super) windows: u64,
}

/// What one client sends: requests `first, first + step, ...` below
/// `total`, until `stop_at`; one unary `Score` call at a time when
/// `pipeline` is 0, else over one `ScoreStream` with up to `pipeline`
/// requests in flight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    pub(super) first: usize,
    pub(super) step: usize,
    pub(super) total: usize,
    pub(super) pipeline: usize,
    pub(super) dry_run: bool,
    pub(super) stop_at: Instant,
}

/// Sends what `plan` says (each request's latency runs from its sending
/// to its answer).
pub(super) async fn run_client(
    mut client: BenchClient,
    inputs: Arc<Vec<pb::ScoreRequest>>,
    windows: Arc<Vec<u64>>,
    plan: Plan,
    bar: ProgressBar,
) -> anyhow::Result<ClientRun> {
    let Plan {
        first,
        step,
        total,
        pipeline,
        dry_run,
        stop_at,
    } = plan;
    let mut run = ClientRun::default();
    let record =
        |run: &mut ClientRun, i: usize, sent: Instant, matches: Option<&[AnsweredMatch]>| {
            run.latencies.push(sent.elapsed());
            match matches {
                Some(matches) => {
                    run.hits += matches.iter().filter(|m| !m.hit_id.is_empty()).count();
                    run.windows += windows[i % windows.len()];
                }
                None => run.errors += 1,
            }
            bar.inc(1);
        };
    let mut i = first;
    if pipeline == 0 {
        while i < total && Instant::now() < stop_at {
            let sent = Instant::now();
            match client.score(request(&inputs, i, dry_run)).await {
                Ok(answer) => record(&mut run, i, sent, Some(&answer.matches)),
                Err(_) => record(&mut run, i, sent, None),
            }
            i += step;
        }
        return Ok(run);
    }
    let (requests_tx, requests_rx) = tokio::sync::mpsc::channel(pipeline);
    let mut responses = client
        .score_stream(tokio_stream::wrappers::ReceiverStream::new(requests_rx))
        .await?;
    // Sent and not yet answered, by request number (answers come back in
    // the order they are ready).
    let mut in_flight: std::collections::HashMap<usize, Instant> = std::collections::HashMap::new();
    loop {
        while in_flight.len() < pipeline && i < total && Instant::now() < stop_at {
            let request = request(&inputs, i, dry_run);
            in_flight.insert(i, Instant::now());
            requests_tx
                .send(request)
                .await
                .map_err(|_| anyhow::anyhow!("stream closed"))?;
            i += step;
        }
        if in_flight.is_empty() {
            break;
        }
        let Some(response) = responses.message().await? else {
            bail!(
                "the server ended the stream with {} requests unanswered",
                in_flight.len()
            );
        };
        let sent = response
            .request_id
            .parse()
            .ok()
            .and_then(|n| in_flight.remove(&n).map(|sent| (n, sent)));
        let Some((n, sent)) = sent else {
            bail!("answer to a request never sent: {:?}", response.request_id);
        };
        let matches = response
            .error
            .is_none()
            .then_some(response.matches.as_slice());
        record(&mut run, n, sent, matches);
    }
    Ok(run)
}

#[cfg(test)]
mod tests;
