//! What is written inside volumes: files per volume identity, so that data
//! lives exactly as long as the storage behind it does. An emptyDir belongs
//! to its pod (it goes when the pod goes), a PersistentVolume outlives pods,
//! a hostPath belongs to the node, and a path no volume covers lives in the
//! container's own writable layer, lost when the container restarts.

use crate::api::pod::{Container, Pod};
use crate::cluster::Cluster;
use crate::store::at;
use crate::vecmap::{VecMap, VecSet};

/// Where bytes live.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum VolumeId {
    EmptyDir {
        pod_uid: String,
        volume: String,
    },
    Pv(String),
    HostPath {
        node: String,
        path: String,
    },
    /// The container's writable layer: one per container instance (its
    /// restart count), so a restart starts from the image again.
    Container {
        pod_uid: String,
        container: String,
        instance: i32,
    },
}

/// Files by volume, each volume a map from a relative path to contents.
#[derive(Clone, Debug, Default)]
pub struct VolumeData {
    files: VecMap<VolumeId, VecMap<String, String>>,
}

impl VolumeData {
    pub fn read(&self, v: &VolumeId, path: &str) -> Option<&String> {
        self.files.get(v).and_then(|f| f.get(path))
    }
    pub fn write(&mut self, v: &VolumeId, path: &str, contents: String) {
        self.files
            .entry(v.clone())
            .or_default()
            .insert(path.to_string(), contents);
    }
    pub fn remove(&mut self, v: &VolumeId, path: &str) -> bool {
        self.files
            .get_mut(v)
            .is_some_and(|f| f.remove(path).is_some())
    }
    /// Names directly under `dir` ("" for the volume's root), sorted.
    pub fn list(&self, v: &VolumeId, dir: &str) -> Vec<String> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        let mut out: VecSet<String> = VecSet::new();
        for p in self.files.get(v).into_iter().flat_map(|f| f.keys()) {
            if let Some(rest) = p.strip_prefix(&prefix) {
                if let Some(first) = rest.split('/').next().filter(|s| !s.is_empty()) {
                    out.insert(first.to_string());
                }
            }
        }
        out.into_iter().collect()
    }
    pub fn is_dir(&self, v: &VolumeId, dir: &str) -> bool {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        self.files
            .get(v)
            .is_some_and(|f| f.keys().any(|k| k.starts_with(&prefix)))
    }
    /// Drops a whole volume (a pod's emptyDir, a deleted PV).
    pub fn drop_volume(&mut self, v: &VolumeId) {
        self.files.remove(v);
    }
    /// Drops every pod-scoped volume whose pod is gone.
    /// Whether anything is kept for a pod (an emptyDir's or a container's files).
    pub(crate) fn has_pod_data(&self) -> bool {
        self.files
            .keys()
            .any(|k| matches!(k, VolumeId::EmptyDir { .. } | VolumeId::Container { .. }))
    }

    pub(crate) fn retain_pods(&mut self, live_uids: &VecSet<crate::api::Name>) {
        self.files.retain(|k, _| match k {
            VolumeId::EmptyDir { pod_uid, .. } | VolumeId::Container { pod_uid, .. } => {
                live_uids.contains(pod_uid.as_str())
            }
            _ => true,
        });
    }
}

/// The volume holding `path` in a container of a pod, and the path inside
/// it: the longest matching volumeMount wins; a path no mount covers is in
/// the container's own layer.
pub fn resolve(c: &Cluster, pod: &Pod, container: &Container, path: &str) -> (VolumeId, String) {
    let path = normalize(path);
    let mut best: Option<(&str, &str)> = None;
    for m in &container.volume_mounts {
        let mp = m.mount_path.trim_end_matches('/');
        let covers = path == mp || path.starts_with(&format!("{mp}/")) || mp.is_empty();
        if covers && best.is_none_or(|(b, _)| mp.len() > b.len()) {
            best = Some((mp, m.name.as_str()));
        }
    }
    let restarts = pod
        .status
        .container_statuses
        .iter()
        .find(|s| s.name == container.name)
        .map_or(0, |s| s.restart_count);
    let layer = || {
        (
            VolumeId::Container {
                pod_uid: pod.metadata.uid.to_string(),
                container: container.name.clone(),
                instance: restarts,
            },
            path.trim_start_matches('/').to_string(),
        )
    };
    let Some((mp, vname)) = best else {
        return layer();
    };
    let rel = path
        .strip_prefix(mp)
        .unwrap_or("")
        .trim_start_matches('/')
        .to_string();
    let Some(vol) = pod.spec.volumes.iter().find(|v| v.name == vname) else {
        return layer();
    };
    if let Some(claim) = &vol.persistent_volume_claim {
        let pv = c
            .store
            .pvcs
            .get(at(&(&pod.metadata.namespace, &claim.claim_name)))
            .and_then(|p| p.spec.volume_name.clone());
        if let Some(pv) = pv {
            return (VolumeId::Pv(pv), rel);
        }
    }
    if let Some(hp) = &vol.host_path {
        return (
            VolumeId::HostPath {
                node: pod.node_name().unwrap_or("").to_string(),
                path: hp.path.trim_end_matches('/').to_string(),
            },
            rel,
        );
    }
    (
        VolumeId::EmptyDir {
            pod_uid: pod.metadata.uid.to_string(),
            volume: vname.to_string(),
        },
        rel,
    )
}

/// `/a/./b//c/../d` -> `/a/b/d`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = vec![];
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_a_directory_shows_each_child_once() {
        let mut d = VolumeData::default();
        let v = VolumeId::Pv("pv-1".into());
        d.write(&v, "a/x", "1".into());
        d.write(&v, "a/y", "2".into());
        d.write(&v, "b", "3".into());
        assert_eq!(d.list(&v, ""), vec!["a", "b"]);
        assert_eq!(d.list(&v, "a"), vec!["x", "y"]);
        assert!(d.is_dir(&v, "a"));
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize("/data/./x//y/../z"), "/data/x/z");
        assert_eq!(normalize("data"), "/data");
    }
}
