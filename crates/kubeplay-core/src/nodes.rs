//! Machines joining, leaving and failing (`sim node ...`), and the node
//! edits kubectl makes: cordon, uncordon, label, taint.

use crate::api::node::{NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo};
use crate::api::*;
use crate::cluster::{ApiError, Cluster, NodeRuntime};
use crate::time::Time;
use crate::vecmap::VecMap;

/// What `sim node add` takes.
#[derive(Clone, Debug)]
pub struct NodeSpecInput {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub taints: Vec<Taint>,
    pub cpu: String,
    pub memory: String,
    pub max_pods: u32,
}

impl Default for NodeSpecInput {
    fn default() -> Self {
        NodeSpecInput {
            name: String::new(),
            labels: vec![],
            taints: vec![],
            cpu: "4".into(),
            memory: "16Gi".into(),
            max_pods: 110,
        }
    }
}

fn ready_condition(status: &str, reason: &str, message: &str, now: Time) -> NodeCondition {
    NodeCondition {
        type_: "Ready".into(),
        status: status.into(),
        last_heartbeat_time: Some(now),
        last_transition_time: Some(now),
        reason: Some(reason.into()),
        message: Some(message.into()),
    }
}

fn pressure_conditions(now: Time) -> Vec<NodeCondition> {
    [
        (
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
    ]
    .into_iter()
    .map(|(t, r, m)| NodeCondition {
        type_: t.into(),
        status: "False".into(),
        last_heartbeat_time: Some(now),
        last_transition_time: Some(now),
        reason: Some(r.into()),
        message: Some(m.into()),
    })
    .collect()
}

/// Adds a node that registers and becomes Ready at once. `joined` is its
/// creationTimestamp (the default nodes joined before the clock starts).
pub fn add_node(c: &mut Cluster, input: NodeSpecInput, joined: Time) -> Result<(), ApiError> {
    register(c, input, joined)?;
    c.reconcile();
    Ok(())
}

/// Adds many nodes that join at the same instant; the cluster reacts once
/// they are all there. Stops at the first node that cannot be added.
pub fn add_nodes(
    c: &mut Cluster,
    inputs: impl IntoIterator<Item = NodeSpecInput>,
    joined: Time,
) -> Result<(), ApiError> {
    let mut r = Ok(());
    for input in inputs {
        r = register(c, input, joined);
        if r.is_err() {
            break;
        }
    }
    c.reconcile();
    r
}

fn register(c: &mut Cluster, input: NodeSpecInput, joined: Time) -> Result<(), ApiError> {
    if let Some(e) = crate::validation::dns1123_subdomain_errors(&input.name)
        .into_iter()
        .next()
    {
        return Err(ApiError::Invalid(format!(
            "Node \"{}\" is invalid: metadata.name: Invalid value: \"{}\": {e}",
            input.name, input.name
        )));
    }
    if c.get::<Node>("", &input.name).is_some() {
        return Err(ApiError::AlreadyExists {
            resource: "nodes".into(),
            name: input.name,
        });
    }
    for (q, what) in [(&input.cpu, "cpu"), (&input.memory, "memory")] {
        if Quantity(q.clone()).milli().is_none_or(|m| m <= 0) {
            return Err(ApiError::Invalid(format!(
                "Node \"{}\" is invalid: status.capacity.{what}: Invalid value: \"{q}\": must be a positive quantity",
                input.name
            )));
        }
    }
    let cidr = c.alloc_cidr();
    let mut labels: Labels = Labels::from(crate::vecmap::VecMap::from_iter(
        [
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/os", "linux"),
        ]
        .into_iter()
        .map(|(k, v)| (Name::from(k), Name::from(v))),
    ));
    labels.insert("kubernetes.io/hostname".into(), Name::new(&input.name));
    for (k, v) in input.labels {
        labels.insert(k.into(), v.into());
    }
    let capacity: VecMap<String, Quantity> = crate::vecmap::VecMap::from_iter([
        ("cpu".to_string(), Quantity(input.cpu.clone())),
        ("memory".to_string(), Quantity(input.memory.clone())),
        ("pods".to_string(), Quantity(input.max_pods.to_string())),
        ("ephemeral-storage".to_string(), Quantity("100Gi".into())),
    ]);
    let now = c.now();
    let version = c.config.kubernetes_version.clone();
    let mut conditions = pressure_conditions(joined);
    conditions.push(ready_condition(
        "True",
        "KubeletReady",
        "kubelet is posting ready status",
        joined,
    ));
    let taints = input
        .taints
        .into_iter()
        .map(|mut t| {
            if t.effect == "NoExecute" && t.time_added.is_none() {
                t.time_added = Some(now);
            }
            t
        })
        .collect();
    let node = Node {
        metadata: ObjectMeta {
            name: Name::new(&input.name),
            labels,
            annotations: [("node.alpha.kubernetes.io/ttl".into(), "0".into())].into(),
            creation_timestamp: Some(joined),
            ..Default::default()
        },
        spec: node::NodeSpec {
            pod_cidr: Some(format!("10.244.{cidr}.0/24")),
            pod_cidrs: Some(vec![format!("10.244.{cidr}.0/24")]),
            taints,
            ..Default::default()
        },
        status: NodeStatus {
            allocatable: capacity.clone(),
            capacity,
            conditions,
            addresses: vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address: format!("172.18.0.{}", cidr + 2),
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: input.name.clone(),
                },
            ],
            node_info: Some(NodeSystemInfo {
                kubelet_version: version,
                container_runtime_version: "containerd://1.7.24".into(),
                kernel_version: "6.1.0-28-amd64".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                operating_system: "linux".into(),
                architecture: "amd64".into(),
            }),
        },
    };
    let name = input.name;
    let created = c.create_raw(node);
    c.nodes_rt.insert(
        name.clone(),
        NodeRuntime {
            failed_at: None,
            last_heartbeat: now,
            cidr_index: cidr,
            next_ip: 2,
            images: Default::default(),
        },
    );
    c.note_node_runtime();
    let r = Cluster::kubelet_node_ref(&name);
    c.record(
        r.clone(),
        "Normal",
        "Starting",
        "Starting kubelet.",
        "kubelet",
    );
    c.record(
        r.clone(),
        "Normal",
        "NodeHasSufficientMemory",
        &format!("Node {name} status is now: NodeHasSufficientMemory"),
        "kubelet",
    );
    c.record(
        r.clone(),
        "Normal",
        "NodeReady",
        &format!("Node {name} status is now: NodeReady"),
        "kubelet",
    );
    c.record(
        Cluster::object_ref(&created),
        "Normal",
        "RegisteredNode",
        &format!("Node {name} event: Registered Node {name} in Controller"),
        "node-controller",
    );
    Ok(())
}

fn require_node(c: &Cluster, name: &str) -> Result<(), ApiError> {
    if c.get::<Node>("", name).is_none() {
        return Err(ApiError::not_found(Kind::Node, name));
    }
    Ok(())
}

/// The machine is gone: the Node object is deleted and the pod garbage
/// collector removes the pods that were bound to it.
pub fn remove_node(c: &mut Cluster, name: &str) -> Result<(), ApiError> {
    require_node(c, name)?;
    c.remove::<Node>("", name);
    c.nodes_rt.remove(name);
    c.note_node_runtime();
    c.reconcile();
    Ok(())
}

/// The kubelet stops posting status; the node lifecycle controller notices
/// after the grace period.
pub fn fail_node(c: &mut Cluster, name: &str) -> Result<(), ApiError> {
    require_node(c, name)?;
    let now = c.now();
    let grace = c.config.node_monitor_grace_period_ms;
    let last = crate::controllers::nodelifecycle::lease_renew_time(c, name);
    if let Some(rt) = c.nodes_rt.get_mut(name) {
        if rt.failed_at.is_none() {
            rt.failed_at = Some(now);
        }
        let last = last.unwrap_or(rt.last_heartbeat);
        c.note_node_runtime();
        c.wake_at(last.plus(grace), false);
        c.wake_at(now.plus(grace), false);
    }
    c.reconcile();
    Ok(())
}

/// The kubelet is back: the node posts Ready again.
pub fn recover_node(c: &mut Cluster, name: &str) -> Result<(), ApiError> {
    require_node(c, name)?;
    let now = c.now();
    if let Some(rt) = c.nodes_rt.get_mut(name) {
        rt.failed_at = None;
        rt.last_heartbeat = now;
        c.note_node_runtime();
    }
    c.reconcile();
    Ok(())
}

/// Marks a node (un)schedulable. Returns false when nothing changed
/// (kubectl then prints `already cordoned`).
pub fn set_unschedulable(c: &mut Cluster, name: &str, on: bool) -> Result<bool, ApiError> {
    require_node(c, name)?;
    let changed = c.update::<Node>("", name, |n| {
        n.spec.unschedulable = if on { Some(true) } else { None };
        let taint_key = "node.kubernetes.io/unschedulable";
        n.spec.taints.retain(|t| t.key != taint_key);
        if on {
            n.spec.taints.push(Taint {
                key: taint_key.into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: None,
            });
        }
    });
    if changed {
        let reason = if on {
            "NodeNotSchedulable"
        } else {
            "NodeSchedulable"
        };
        if c.get::<Node>("", name).is_some() {
            c.record(
                Cluster::kubelet_node_ref(name),
                "Normal",
                reason,
                &format!("Node {name} status is now: {reason}"),
                "kubelet",
            );
        }
        c.reconcile();
    }
    Ok(changed)
}

/// Replaces a node's labels (kubectl computed the new set).
pub fn set_node_labels(c: &mut Cluster, name: &str, labels: Labels) -> Result<bool, ApiError> {
    require_node(c, name)?;
    let changed = c.update::<Node>("", name, |n| n.metadata.labels = labels);
    c.reconcile();
    Ok(changed)
}

/// Replaces a node's taints (kubectl computed the new set).
pub fn set_node_taints(c: &mut Cluster, name: &str, taints: Vec<Taint>) -> Result<bool, ApiError> {
    require_node(c, name)?;
    let now = c.now();
    let changed = c.update::<Node>("", name, |n| {
        n.spec.taints = taints
            .into_iter()
            .map(|mut t| {
                if t.effect == "NoExecute" && t.time_added.is_none() {
                    t.time_added = Some(now);
                }
                t
            })
            .collect();
    });
    c.reconcile();
    Ok(changed)
}

/// Sets one node's Ready condition, recording the transition.
pub(crate) fn set_ready(c: &mut Cluster, name: &str, status: &str, reason: &str, message: &str) {
    let now = c.now();
    let mut transitioned = false;
    c.update::<Node>("", name, |n| {
        for cond in n.status.conditions.iter_mut() {
            if cond.type_ == "Ready" {
                if cond.status != status {
                    cond.status = status.into();
                    cond.last_transition_time = Some(now);
                    transitioned = true;
                }
                cond.reason = Some(reason.into());
                cond.message = Some(message.into());
            } else if status == "Unknown" && cond.status != "Unknown" {
                cond.status = "Unknown".into();
                cond.reason = Some("NodeStatusUnknown".into());
                cond.message = Some(message.into());
                cond.last_transition_time = Some(now);
            } else if status == "True" && cond.status == "Unknown" {
                if let Some(fresh) = pressure_conditions(now)
                    .into_iter()
                    .find(|p| p.type_ == cond.type_)
                {
                    *cond = fresh;
                }
            }
        }
    });
    if transitioned {
        if let Some(n) = c.get::<Node>("", name) {
            // (the kubelet's own reference; the node controller's is the
            // object's)
            let r = if status == "True" {
                Cluster::kubelet_node_ref(name)
            } else {
                Cluster::object_ref(n)
            };
            let (reason, msg) = if status == "True" {
                ("NodeReady", format!("Node {name} status is now: NodeReady"))
            } else {
                (
                    "NodeNotReady",
                    format!("Node {name} status is now: NodeNotReady"),
                )
            };
            let component = if status == "True" {
                "kubelet"
            } else {
                "node-controller"
            };
            c.record(r, "Normal", reason, &msg, component);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kubelet names its node with the name for the uid and no
    /// apiVersion; the node controller with the Node object's uid.
    #[test]
    fn kubelet_node_events_use_the_node_name_as_uid() {
        let mut c = Cluster::new(1);
        let now = c.now();
        let input = NodeSpecInput {
            name: "node-4".into(),
            max_pods: 110,
            ..Default::default()
        };
        assert!(add_node(&mut c, input, now).is_ok());
        assert_eq!(set_unschedulable(&mut c, "node-4", true), Ok(true));
        let uid = c
            .get::<Node>("", "node-4")
            .map(|n| n.metadata.uid.to_string())
            .unwrap_or_default();
        assert!(!uid.is_empty() && uid != "node-4");
        let refs: Vec<(String, String, String)> = c
            .events_for("Node", "", "node-4", "")
            .into_iter()
            .map(|e| {
                let o = &e.involved_object;
                (
                    e.reason.to_string(),
                    o.uid.to_string(),
                    o.api_version.to_string(),
                )
            })
            .collect();
        let of = |reason: &str| refs.iter().find(|r| r.0 == reason).cloned();
        for reason in [
            "Starting",
            "NodeHasSufficientMemory",
            "NodeReady",
            "NodeNotSchedulable",
        ] {
            assert_eq!(
                of(reason),
                Some((reason.to_string(), "node-4".to_string(), String::new())),
                "{refs:?}"
            );
        }
        assert_eq!(
            of("RegisteredNode"),
            Some(("RegisteredNode".to_string(), uid, "v1".to_string()))
        );
    }
}
