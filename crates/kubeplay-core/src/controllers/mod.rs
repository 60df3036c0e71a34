//! The controllers of kube-controller-manager, each a level-triggered
//! reconciler run in a fixed order after every change.

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod gc;
pub mod hpa;
pub mod job;
pub mod nodelifecycle;
pub mod replicaset;
pub mod rootca;
pub mod statefulset;
pub mod volume;

use crate::api::*;
use crate::cluster::Cluster;
use crate::store::key;

pub fn run_all(c: &mut Cluster) {
    rootca::reconcile_all(c);
    nodelifecycle::reconcile_all(c);
    hpa::reconcile_all(c);
    deployment::reconcile_all(c);
    replicaset::reconcile_all(c);
    statefulset::reconcile_all(c);
    daemonset::reconcile_all(c);
    cronjob::reconcile_all(c);
    job::reconcile_all(c);
    volume::reconcile_all(c);
    endpoints::reconcile_all(c);
    disruption::reconcile_all(c);
    gc::reconcile_all(c);
}

/// What `kubectl rollout restart` patches into a workload's template: the
/// `kubectl.kubernetes.io/restartedAt` annotation set to the virtual now. Like
/// kubectl, a second restart within the same second is refused.
pub(crate) fn restarted_template(
    t: &PodTemplateSpec,
    name: &str,
    now: crate::time::Time,
) -> Result<PodTemplateSpec, crate::cluster::ApiError> {
    let now = now.rfc3339();
    let key = deployment::util::RESTARTED_AT_ANNOTATION;
    if t.metadata.annotations.get(key) == Some(&now) {
        return Err(crate::cluster::ApiError::BadRequest(format!(
            "failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
        )));
    }
    let mut t = t.clone();
    t.metadata.annotations.insert(key.into(), now);
    Ok(t)
}

/// An ownerReference naming `owner` as the controller.
pub fn controller_ref<T: Resource>(owner: &T) -> OwnerReference {
    OwnerReference {
        api_version: T::KIND.info().api_version(),
        kind: T::KIND.name().into(),
        name: owner.meta().name.clone(),
        uid: owner.meta().uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// A pod made from a template, defaulted and admitted as the API server
/// would, named `name` or, if `name` ends with '-', that prefix plus five
/// random characters (generateName).
pub fn pod_from_template(
    c: &mut Cluster,
    template: &PodTemplateSpec,
    ns: &str,
    name: &str,
    owner: OwnerReference,
) -> Pod {
    let mut meta = template.metadata.clone();
    meta.namespace = ns.to_string();
    meta.name = if let Some(prefix) = name.strip_suffix('-') {
        generate_name(c, prefix)
    } else {
        name.to_string()
    };
    if name.ends_with('-') {
        meta.generate_name = name.to_string();
    }
    meta.owner_references = vec![owner];
    meta.uid = String::new();
    meta.resource_version = String::new();
    meta.creation_timestamp = None;
    let mut obj = Object::Pod(Pod {
        metadata: meta,
        spec: template.spec.clone(),
        status: Default::default(),
    });
    crate::defaults::apply_defaults(&mut obj);
    match obj {
        Object::Pod(p) => p,
        _ => Pod::default(),
    }
}

/// `prefix-xxxxx`, unused in the namespace.
pub fn generate_name(c: &mut Cluster, prefix: &str) -> String {
    loop {
        let candidate = format!("{prefix}-{}", c.rng.name_suffix(5));
        let ns_taken = c.store.pods.keys().any(|k| k.1 == candidate);
        if !ns_taken {
            return candidate;
        }
    }
}

/// The most pods the simulated cluster holds: more than the default
/// cluster's nodes can run (3 workers of 110 pods, and the control plane's
/// 110). Controllers create no more (as under a ResourceQuota, a
/// FailedCreate event says why), so that `replicas: 10000` or a Job with a
/// huge parallelism cannot hang the page.
pub const MAX_PODS: usize = 500;

/// Whether a controller may create one more pod; if not, `owner` gets a
/// FailedCreate event (once, while the message stays the same).
pub fn pod_quota_allows(
    c: &mut Cluster,
    owner: &crate::api::core::ObjectReference,
    component: &str,
) -> bool {
    if c.store.pods.len() < MAX_PODS {
        return true;
    }
    let message = format!(
        "Error creating: pods is forbidden: the simulated cluster holds at most {MAX_PODS} pods"
    );
    let warned = c.store.events.values().any(|e| {
        e.involved_object.uid == owner.uid && e.reason == "FailedCreate" && e.message == message
    });
    if !warned {
        c.record(
            owner.clone(),
            "Warning",
            "FailedCreate",
            &message,
            component,
        );
    }
    false
}

/// Creates a pod (status Pending) and records the controller's event.
pub fn create_pod(c: &mut Cluster, pod: Pod) -> Pod {
    let mut pod = pod;
    pod.status.phase = "Pending".into();
    pod.status.qos_class = Some(crate::kubelet::qos_class(&pod).into());
    c.create_raw(pod)
}

pub fn pod_exists(c: &Cluster, ns: &str, name: &str) -> bool {
    c.store.pods.contains_key(&key(ns, name))
}
