//! Tests of `admission`.

use super::*;

#[test]
fn every_method_of_the_api_has_a_policy() {
    let services = crate::proto::FILE_DESCRIPTOR_SET;
    let set = <prost_types::FileDescriptorSet as prost::Message>::decode(services)
        .expect("descriptor set");
    let mut checked = 0;
    for file in set.file.iter().filter(|f| f.package() == "claimsignal.v1") {
        for service in &file.service {
            for rpc in &service.method {
                let path = format!("/claimsignal.v1.{}/{}", service.name(), rpc.name());
                let policy = method(&path).unwrap_or_else(|| panic!("{path} has no policy"));
                assert_eq!(
                    policy.client_streaming,
                    rpc.client_streaming(),
                    "{path} streaming"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 16, "{checked} methods");
}

#[test]
fn a_caller_and_a_peer_have_their_own_caps() {
    let counts = Mutex::new(HashMap::new());
    assert!(take(&counts, &"pipeline", 2));
    assert!(take(&counts, &"pipeline", 2));
    assert!(!take(&counts, &"pipeline", 2), "third over the cap");
    assert!(take(&counts, &"other", 2), "another caller is not held up");
    release(&counts, &"pipeline");
    assert!(
        take(&counts, &"pipeline", 2),
        "a released place is free again"
    );
    release(&counts, &"other");
    assert!(!counts.lock().expect("lock").contains_key("other"));
}
