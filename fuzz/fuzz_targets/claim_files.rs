//! Every partner format (JSON Lines, ClaimReview JSON-LD, HTML, Fact Check
//! Tools, CSV, and detection) on arbitrary bytes: no panic, no hang.

#![no_main]

use claimsignal::claims::import;
use claimsignal::claims::{ClaimFormat, LoadDefaults};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let defaults = LoadDefaults {
        partner: "fuzz".into(),
        ..LoadDefaults::default()
    };
    for format in [
        ClaimFormat::Auto,
        ClaimFormat::Jsonl,
        ClaimFormat::JsonLd,
        ClaimFormat::Html,
        ClaimFormat::FactCheckTools,
        ClaimFormat::Csv,
    ] {
        let parsed = import::parse(data, format, &defaults);
        // A refusal always says why.
        for rejection in &parsed.rejections {
            assert!(!rejection.reason.is_empty(), "{rejection:?}");
        }
        for claim in &parsed.claims {
            assert!(!claim.claim.text.trim().is_empty(), "{:?}", claim.position);
        }
    }
});
