//! Generated gRPC code (`claimsignal.v1`), built from `proto/` by `build.rs`.

#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod v1 {
    tonic::include_proto!("claimsignal.v1");
}

/// The encoded descriptor set of `claimsignal.v1`, served by reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/claimsignal_descriptor.bin"));
