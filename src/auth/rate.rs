//! Per-token rate limits: a token bucket per caller, so one pipeline or
//! partner cannot starve the others.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::error::{Error, Result};

struct Bucket {
    tokens: f64,
    refilled: Instant,
}

/// Token buckets by caller name.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// Returns a limiter allowing `per_second` calls per caller on average
    /// and bursts of `burst`; `per_second == 0` disables it.
    pub fn new(per_second: f64, burst: f64) -> Self {
        RateLimiter {
            per_second,
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one call from `caller`'s bucket, or says how long to wait.
    pub fn admit(&self, caller: &str) -> Result<()> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| Error::Internal("rate limiter lock poisoned".into()))?;
        let bucket = buckets.entry(caller.to_string()).or_insert(Bucket {
            tokens: self.burst,
            refilled: now,
        });
        let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait_ms = ((1.0 - bucket.tokens) / self.per_second * 1000.0).ceil();
        Err(Error::ResourceExhausted(format!(
            "rate limit of {} calls/s for {caller:?} reached; retry in {wait_ms} ms",
            self.per_second
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refuses_then_is_per_caller() {
        // One call per hour: only the burst passes within this test.
        let limiter = RateLimiter::new(1.0 / 3600.0, 2.0);
        assert!(limiter.admit("platform").is_ok());
        assert!(limiter.admit("platform").is_ok());
        let refused = limiter.admit("platform").unwrap_err().to_string();
        assert!(refused.contains("rate limit"), "{refused}");
        assert!(limiter.admit("other-platform").is_ok());
        assert!(RateLimiter::new(0.0, 1.0).admit("anyone").is_ok());
    }
}
