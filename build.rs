//! Compiles the protos with `protox` (pure Rust), so no machine needs `protoc`.

use std::path::PathBuf;

const PROTOS: &[&str] = &[
    "claimsignal/v1/common.proto",
    "claimsignal/v1/claims.proto",
    "claimsignal/v1/matcher.proto",
    "claimsignal/v1/reports.proto",
    "claimsignal/v1/admin.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let fds = protox::Compiler::new(["proto"])?
        .include_imports(true)
        .include_source_info(true)
        .open_files(PROTOS)?
        .file_descriptor_set();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    // The encoded set feeds server reflection, so grpcurl needs no proto file.
    std::fs::write(
        out_dir.join("claimsignal_descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )?;
    tonic_prost_build::configure().compile_fds(fds)?;
    Ok(())
}
