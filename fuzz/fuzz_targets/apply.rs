//! `kubectl apply` of arbitrary text on a fresh cluster: parsing, strict
//! decoding, defaulting, validation and (for what passes) the controllers'
//! first reactions. Nothing may panic; a refused bundle changes nothing.

#![no_main]

use kubeplay_core::apply::apply;
use kubeplay_core::Cluster;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut c = Cluster::new(1);
    let before = c.resource_version();
    match apply(&mut c, &text, "STDIN", None) {
        Ok(_) => {
            // let the controllers, scheduler and kubelets act on it
            c.advance(10_000);
            // applying the same bundle again takes the update path
            let _ = apply(&mut c, &text, "STDIN", None);
            c.advance(10_000);
        }
        Err(e) => {
            let _ = e.render();
            if let Some(pos) = e.pos() {
                let _ = kubeplay_core::yaml::snippet(&text, pos);
            }
            assert_eq!(
                c.resource_version(),
                before,
                "a refused bundle changed the cluster"
            );
        }
    }
});
