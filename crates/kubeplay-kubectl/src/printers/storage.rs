//! Tables for PersistentVolumeClaims, PersistentVolumes, StorageClasses and
//! Endpoints, after kubernetes `pkg/printers/internalversion/printers.go`.

use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// The columns of a kind's table (name, shown only with -o wide).
pub fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::PersistentVolumeClaim => &[
            ("NAME", false),
            ("STATUS", false),
            ("VOLUME", false),
            ("CAPACITY", false),
            ("ACCESS MODES", false),
            ("STORAGECLASS", false),
            ("VOLUMEATTRIBUTESCLASS", false),
            ("AGE", false),
            ("VOLUMEMODE", true),
        ],
        Kind::PersistentVolume => &[
            ("NAME", false),
            ("CAPACITY", false),
            ("ACCESS MODES", false),
            ("RECLAIM POLICY", false),
            ("STATUS", false),
            ("CLAIM", false),
            ("STORAGECLASS", false),
            ("VOLUMEATTRIBUTESCLASS", false),
            ("REASON", false),
            ("AGE", false),
            ("VOLUMEMODE", true),
        ],
        Kind::StorageClass => &[
            ("NAME", false),
            ("PROVISIONER", false),
            ("RECLAIMPOLICY", false),
            ("VOLUMEBINDINGMODE", false),
            ("ALLOWVOLUMEEXPANSION", false),
            ("AGE", false),
        ],
        Kind::Endpoints => &[("NAME", false), ("ENDPOINTS", false), ("AGE", false)],
        _ => &[("NAME", false), ("AGE", false)],
    }
}

/// Every cell of an object's row, wide ones included, in column order.
pub fn cells(c: &Cluster, o: &Object, _wide: bool) -> Vec<String> {
    let age = super::get::since(c, o.meta().creation_timestamp);
    match o {
        Object::PersistentVolumeClaim(p) => {
            let status = if p.metadata.deletion_timestamp.is_some() {
                "Terminating".to_string()
            } else {
                p.status.phase.clone()
            };
            let bound = !p.status.capacity.is_empty();
            vec![
                p.metadata.name.to_string(),
                status,
                p.spec.volume_name.clone().unwrap_or_default(),
                if bound {
                    p.status
                        .capacity
                        .get("storage")
                        .map(|q| q.0.clone())
                        .unwrap_or_default()
                } else {
                    String::new()
                },
                access_modes_string(&p.status.access_modes),
                p.spec.storage_class_name.clone().unwrap_or_default(),
                unset(p.spec.volume_attributes_class_name.as_deref()),
                age,
                p.spec.volume_mode.clone().unwrap_or_default(),
            ]
        }
        Object::PersistentVolume(v) => {
            let status = if v.metadata.deletion_timestamp.is_some() {
                "Terminating".to_string()
            } else {
                v.status.phase.clone()
            };
            let claim = v
                .spec
                .claim_ref
                .as_ref()
                .map(|r| format!("{}/{}", r.namespace, r.name))
                .unwrap_or_default();
            vec![
                v.metadata.name.to_string(),
                v.spec
                    .capacity
                    .get("storage")
                    .map(|q| q.0.clone())
                    .unwrap_or_default(),
                access_modes_string(&v.spec.access_modes),
                v.spec
                    .persistent_volume_reclaim_policy
                    .clone()
                    .unwrap_or_default(),
                status,
                claim,
                v.spec.storage_class_name.clone().unwrap_or_default(),
                unset(v.spec.volume_attributes_class_name.as_deref()),
                v.status.reason.clone().unwrap_or_default(),
                age,
                v.spec.volume_mode.clone().unwrap_or_default(),
            ]
        }
        Object::StorageClass(s) => {
            let name = if s.is_default() {
                format!("{} (default)", s.metadata.name)
            } else {
                s.metadata.name.to_string()
            };
            vec![
                name,
                s.provisioner.clone(),
                s.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                s.volume_binding_mode
                    .clone()
                    .unwrap_or_else(|| "Immediate".into()),
                s.allow_volume_expansion.unwrap_or(false).to_string(),
                age,
            ]
        }
        Object::Endpoints(e) => vec![e.metadata.name.to_string(), format_endpoints(e), age],
        _ => vec![o.meta().name.to_string(), age],
    }
}

fn unset(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty())
        .map_or_else(|| "<unset>".to_string(), str::to_string)
}

/// GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, comma-joined.
pub fn access_modes_string(modes: &[String]) -> String {
    let has = |m: &str| modes.iter().any(|x| x == m);
    let mut out = vec![];
    if has("ReadWriteOnce") {
        out.push("RWO");
    }
    if has("ReadOnlyMany") {
        out.push("ROX");
    }
    if has("ReadWriteMany") {
        out.push("RWX");
    }
    if has("ReadWriteOncePod") {
        out.push("RWOP");
    }
    out.join(",")
}

/// formatEndpoints: ready `ip:port` pairs, at most three then `+ N more...`.
pub fn format_endpoints(e: &Endpoints) -> String {
    if e.subsets.is_empty() {
        return "<none>".into();
    }
    let max = 3;
    let mut list: Vec<String> = vec![];
    let mut more = false;
    let mut count = 0;
    for ss in &e.subsets {
        if ss.ports.is_empty() {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(format!("{}:{}", a.ip, p.port));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_modes_print_in_kubectls_order() {
        assert_eq!(
            access_modes_string(&["ReadWriteMany".into(), "ReadWriteOnce".into()]),
            "RWO,RWX"
        );
    }
}
