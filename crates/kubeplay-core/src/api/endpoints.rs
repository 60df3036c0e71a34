//! core/v1 Endpoints: kept by the endpoints controller
//! (`staging/src/k8s.io/api/core/v1/types.go`).

use super::core::ObjectReference;
use super::meta::ObjectMeta;
use crate::codec::{Decode, Encode};
use crate::validation::{FieldError, FieldErrorKind};

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoints {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub subsets: Vec<EndpointSubset>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointSubset {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<EndpointAddress>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ready_addresses: Vec<EndpointAddress>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<EndpointPort>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointAddress {
    pub ip: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<ObjectReference>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointPort {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub port: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}

/// The API server's defaulting for Endpoints: ports' protocol TCP.
pub fn default_endpoints(o: &mut Endpoints) {
    for s in &mut o.subsets {
        for p in &mut s.ports {
            if p.protocol.is_none() {
                p.protocol = Some("TCP".into());
            }
        }
    }
}

/// The API server's validation of Endpoints (`ValidateEndpointsSpecificAnnotations`
/// aside): every address needs an IP and every port a valid number.
pub fn validate_endpoints(o: &Endpoints) -> Vec<FieldError> {
    let mut errs = vec![];
    for (i, s) in o.subsets.iter().enumerate() {
        for (j, a) in s.addresses.iter().enumerate() {
            if a.ip.is_empty() {
                errs.push(FieldError {
                    path: format!("subsets[{i}].addresses[{j}].ip"),
                    kind: FieldErrorKind::Required(String::new()),
                });
            }
        }
        for (j, p) in s.ports.iter().enumerate() {
            for m in crate::validation::port_num_errors(i64::from(p.port)) {
                errs.push(FieldError {
                    path: format!("subsets[{i}].ports[{j}].port"),
                    kind: FieldErrorKind::Invalid {
                        value: p.port.to_string(),
                        detail: m,
                    },
                });
            }
        }
    }
    errs
}
