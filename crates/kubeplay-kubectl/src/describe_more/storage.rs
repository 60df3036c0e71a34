//! kubectl describe for the storage kinds and Endpoints, after
//! kubectl `pkg/describe/describe.go` (describePersistentVolumeClaim,
//! PersistentVolumeDescriber, StorageClassDescriber, describeEndpoints).

use crate::describe::{
    describe_events, object_events, print_annotations_multiline, print_labels_multiline, W,
};
use crate::printers::storage::access_modes_string;
use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// Describes an object of this area; None for kinds it does not know.
pub(crate) fn describe(c: &Cluster, o: &Object, w: &mut W) -> Option<()> {
    match o {
        Object::PersistentVolumeClaim(p) => describe_claim(c, p, w),
        Object::PersistentVolume(v) => describe_volume(c, v, w),
        Object::StorageClass(s) => describe_class(c, s, w),
        Object::Endpoints(e) => describe_endpoints(c, e, w),
        _ => return None,
    }
    Some(())
}

fn go_list<S: AsRef<str>>(v: &[S]) -> String {
    let v: Vec<&str> = v.iter().map(AsRef::as_ref).collect();
    format!("[{}]", v.join(" "))
}

fn describe_claim(c: &Cluster, p: &PersistentVolumeClaim, w: &mut W) {
    let m = &p.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    w.fmt(
        0,
        format_args!(
            "StorageClass:\t{}\n",
            p.spec.storage_class_name.as_deref().unwrap_or("")
        ),
    );
    match m.deletion_timestamp {
        Some(t) => w.fmt(
            0,
            format_args!(
                "Status:\tTerminating (lasts {})\n",
                crate::printers::get::since(c, Some(t))
            ),
        ),
        None => w.fmt(0, format_args!("Status:\t{}\n", p.status.phase)),
    }
    w.fmt(
        0,
        format_args!("Volume:\t{}\n", p.spec.volume_name.as_deref().unwrap_or("")),
    );
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(0, format_args!("Finalizers:\t{}\n", go_list(&m.finalizers)));
    let bound = p.spec.volume_name.as_deref().is_some_and(|v| !v.is_empty());
    let (cap, modes) = if bound {
        (
            p.status
                .capacity
                .get("storage")
                .map(|q| q.0.clone())
                .unwrap_or_else(|| "0".into()),
            access_modes_string(&p.status.access_modes),
        )
    } else {
        (String::new(), String::new())
    };
    w.fmt(0, format_args!("Capacity:\t{cap}\n"));
    w.fmt(0, format_args!("Access Modes:\t{modes}\n"));
    if let Some(vm) = &p.spec.volume_mode {
        w.fmt(0, format_args!("VolumeMode:\t{vm}\n"));
    }
    let users = kubeplay_core::controllers::volume::pods_using(c, &m.namespace, &m.name);
    w.write(0, "Used By:\t");
    if users.is_empty() {
        w.line("<none>");
    } else {
        for (i, u) in users.iter().enumerate() {
            if i != 0 {
                w.write(0, "\t");
            }
            w.fmt(0, format_args!("{}\n", u.metadata.name));
        }
    }
    describe_events(c, object_events(c, "PersistentVolumeClaim", m), w);
}

fn describe_volume(c: &Cluster, v: &PersistentVolume, w: &mut W) {
    let m = &v.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(0, format_args!("Finalizers:\t{}\n", go_list(&m.finalizers)));
    w.fmt(
        0,
        format_args!(
            "StorageClass:\t{}\n",
            v.spec.storage_class_name.as_deref().unwrap_or("")
        ),
    );
    match m.deletion_timestamp {
        Some(t) => w.fmt(
            0,
            format_args!(
                "Status:\tTerminating (lasts {})\n",
                crate::printers::get::since(c, Some(t))
            ),
        ),
        None => w.fmt(0, format_args!("Status:\t{}\n", v.status.phase)),
    }
    let claim = v
        .spec
        .claim_ref
        .as_ref()
        .map(|r| format!("{}/{}", r.namespace, r.name))
        .unwrap_or_default();
    w.fmt(0, format_args!("Claim:\t{claim}\n"));
    w.fmt(
        0,
        format_args!(
            "Reclaim Policy:\t{}\n",
            v.spec
                .persistent_volume_reclaim_policy
                .as_deref()
                .unwrap_or("")
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Access Modes:\t{}\n",
            access_modes_string(&v.spec.access_modes)
        ),
    );
    if let Some(vm) = &v.spec.volume_mode {
        w.fmt(0, format_args!("VolumeMode:\t{vm}\n"));
    }
    w.fmt(
        0,
        format_args!(
            "Capacity:\t{}\n",
            v.spec
                .capacity
                .get("storage")
                .map(|q| q.0.clone())
                .unwrap_or_else(|| "0".into())
        ),
    );
    w.write(0, "Node Affinity:\t<none>\n");
    w.fmt(
        0,
        format_args!("Message:\t{}\n", v.status.message.as_deref().unwrap_or("")),
    );
    w.write(0, "Source:\n");
    if let Some(hp) = &v.spec.host_path {
        w.fmt(
            2,
            format_args!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                hp.path,
                hp.type_.as_deref().unwrap_or("")
            ),
        );
    } else if let Some(t) = v.spec.source_type() {
        w.fmt(2, format_args!("Type:\t{t}\n"));
    }
    describe_events(c, object_events(c, "PersistentVolume", m), w);
}

fn describe_class(c: &Cluster, s: &StorageClass, w: &mut W) {
    let m = &s.metadata;
    fn fmt_map<K: std::fmt::Display, V: std::fmt::Display>(
        mp: &kubeplay_core::vecmap::VecMap<K, V>,
    ) -> String {
        if mp.is_empty() {
            "<none>".to_string()
        } else {
            mp.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        }
    }
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    let default = match m
        .annotations
        .get(kubeplay_core::api::storage::DEFAULT_CLASS_ANNOTATION)
        .map(|s| s.as_str())
    {
        Some("true") => "Yes",
        _ => "No",
    };
    w.fmt(0, format_args!("IsDefaultClass:\t{default}\n"));
    let mut ann = m.annotations.clone();
    ann.remove("kubectl.kubernetes.io/last-applied-configuration");
    w.fmt(0, format_args!("Annotations:\t{}\n", fmt_map(&ann)));
    w.fmt(0, format_args!("Provisioner:\t{}\n", s.provisioner));
    w.fmt(0, format_args!("Parameters:\t{}\n", fmt_map(&s.parameters)));
    let ave = match s.allow_volume_expansion {
        None => "<unset>".to_string(),
        Some(b) => (if b { "True" } else { "False" }).to_string(),
    };
    w.fmt(0, format_args!("AllowVolumeExpansion:\t{ave}\n"));
    if s.mount_options.is_empty() {
        w.write(0, "MountOptions:\t<none>\n");
    } else {
        w.write(0, "MountOptions:\n");
        for o in &s.mount_options {
            w.fmt(0, format_args!("\t{o}\n"));
        }
    }
    if let Some(p) = &s.reclaim_policy {
        w.fmt(0, format_args!("ReclaimPolicy:\t{p}\n"));
    }
    if let Some(b) = &s.volume_binding_mode {
        w.fmt(0, format_args!("VolumeBindingMode:\t{b}\n"));
    }
    describe_events(c, object_events(c, "StorageClass", m), w);
}

fn describe_endpoints(c: &Cluster, e: &Endpoints, w: &mut W) {
    let m = &e.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.write(0, "Subsets:\n");
    for s in &e.subsets {
        let join = |v: &[kubeplay_core::api::endpoints::EndpointAddress]| {
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.iter().map(|a| a.ip.clone()).collect::<Vec<_>>().join(",")
            }
        };
        w.fmt(1, format_args!("Addresses:\t{}\n", join(&s.addresses)));
        w.fmt(
            1,
            format_args!("NotReadyAddresses:\t{}\n", join(&s.not_ready_addresses)),
        );
        if !s.ports.is_empty() {
            w.write(1, "Ports:\n");
            w.write(2, "Name\tPort\tProtocol\n");
            w.write(2, "----\t----\t--------\n");
            for p in &s.ports {
                w.fmt(
                    2,
                    format_args!(
                        "{}\t{}\t{}\n",
                        p.name.as_deref().unwrap_or("<unset>"),
                        p.port,
                        p.protocol.as_deref().unwrap_or("TCP")
                    ),
                );
            }
        }
        w.write(0, "\n");
    }
    describe_events(c, object_events(c, "Endpoints", m), w);
}
