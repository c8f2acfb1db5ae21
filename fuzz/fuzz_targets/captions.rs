//! WebVTT, SRT and Whisper JSON on arbitrary text, then sentences and
//! windows over whatever survived: no panic, no hang, spans in order.

#![no_main]

use claimsignal::captions::{self, srt, transcript, vtt, whisper};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = captions::detect_format(None, &text);
    let mut parsed = vec![vtt::parse(&text), srt::parse(&text)];
    if let Ok((_, whisper)) = whisper::parse(&text) {
        parsed.push(whisper);
    }
    for captions in parsed {
        let sentences = transcript::sentences(&captions.segments);
        for window in transcript::windows(&sentences) {
            assert!(window.start_ms <= window.end_ms);
        }
    }
});
