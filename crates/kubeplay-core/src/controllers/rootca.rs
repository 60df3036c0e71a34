//! The root CA publisher: every namespace gets the `kube-root-ca.crt`
//! ConfigMap that pods use to verify the API server.

use crate::api::*;
use crate::cluster::Cluster;
use crate::store::at;

pub const NAME: &str = "kube-root-ca.crt";

const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/// The simulated cluster's CA certificate (not a usable key: nothing here
/// talks TLS).
const CA_CRT: &str = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIa3ViZXBsYXkwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNDEyMzEyMzAwMDBaFw0zNDEyMjkyMzAwMDBaMBUx\nEzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n-----END CERTIFICATE-----\n";

pub fn configmap(ns: &str) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: NAME.into(),
            namespace: ns.into(),
            annotations: [("kubernetes.io/description".into(), DESCRIPTION.into())].into(),
            ..Default::default()
        },
        data: [("ca.crt".to_string(), CA_CRT.to_string())].into(),
        ..Default::default()
    }
}

pub fn reconcile_all(c: &mut Cluster) {
    let missing: Vec<Name> = c
        .store
        .namespaces
        .values()
        .filter(|n| n.metadata.deletion_timestamp.is_none())
        .map(|n| n.metadata.name.clone())
        .filter(|ns| !c.store.configmaps.contains_key(at(&(ns, NAME))))
        .collect();
    for ns in missing {
        c.create_raw(configmap(&ns));
    }
}
