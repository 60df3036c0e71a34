//! Label and node selectors as the scheduler evaluates them
//! (apimachinery labels.Selector, component-helpers nodeaffinity), and the
//! parsed inter-pod affinity terms of a pod (framework.AffinityTerm).

use crate::api::meta::{requirement_matches, LabelSelector, Labels};
use crate::api::node::Node;
use crate::api::pod::{NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm};

/// One requirement of a label selector.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Req {
    pub key: String,
    pub op: &'static str,
    pub values: Vec<String>,
}

impl Req {
    fn matches(&self, labels: &crate::api::meta::LabelMap) -> bool {
        requirement_matches(&self.key, self.op, &self.values, labels)
    }
}

/// A parsed label selector. `Nothing` is labels.Nothing() (a nil
/// metav1.LabelSelector); `Reqs(vec![])` is labels.Everything() (`{}`).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Sel {
    Nothing,
    Reqs(Vec<Req>),
}

fn op_of(op: &str) -> Option<&'static str> {
    match op {
        "In" => Some("In"),
        "NotIn" => Some("NotIn"),
        "Exists" => Some("Exists"),
        "DoesNotExist" => Some("DoesNotExist"),
        _ => None,
    }
}

impl Sel {
    /// metav1.LabelSelectorAsSelector: nil selects nothing, `{}` everything;
    /// an invalid selector selects nothing.
    pub fn from_label_selector(ls: Option<&LabelSelector>) -> Sel {
        let Some(ls) = ls else {
            return Sel::Nothing;
        };
        let mut reqs: Vec<Req> = ls
            .match_labels
            .iter()
            .map(|(k, v)| Req {
                key: k.to_string(),
                op: "In",
                values: vec![v.to_string()],
            })
            .collect();
        for e in &ls.match_expressions {
            let Some(op) = op_of(&e.operator) else {
                return Sel::Nothing;
            };
            let needs_values = matches!(op, "In" | "NotIn");
            if needs_values == e.values.is_empty() {
                return Sel::Nothing;
            }
            let mut values = e.values.clone();
            crate::sort::sort(&mut values);
            reqs.push(Req {
                key: e.key.clone(),
                op,
                values,
            });
        }
        Sel::Reqs(reqs)
    }

    /// labels.Set.AsSelector: every key equal to its value.
    pub fn from_set(set: &crate::api::meta::LabelMap) -> Sel {
        Sel::Reqs(
            set.iter()
                .map(|(k, v)| Req {
                    key: k.to_string(),
                    op: "In",
                    values: vec![v.to_string()],
                })
                .collect(),
        )
    }

    /// selector.Add: ANDs more requirements (a Nothing selector stays Nothing).
    pub fn add(&mut self, more: impl IntoIterator<Item = Req>) {
        if let Sel::Reqs(r) = self {
            r.extend(more);
        }
    }

    /// The requirements, as selector.Requirements() gives them (none for Nothing).
    pub fn requirements(&self) -> Option<&[Req]> {
        match self {
            Sel::Nothing => None,
            Sel::Reqs(r) => Some(r),
        }
    }

    pub fn matches(&self, labels: &crate::api::meta::LabelMap) -> bool {
        match self {
            Sel::Nothing => false,
            Sel::Reqs(r) => r.iter().all(|q| q.matches(labels)),
        }
    }

    /// selector.Empty(): true for Everything, false for Nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Sel::Reqs(r) if r.is_empty())
    }
}

/// Requirements `key=value` for the keys of `keys` that `labels` has, with
/// `op` In (matchLabelKeys) or NotIn (mismatchLabelKeys).
pub(super) fn label_key_reqs(
    keys: Option<&Vec<String>>,
    labels: &Labels,
    op: &'static str,
) -> Vec<Req> {
    keys.map(|keys| {
        keys.iter()
            .filter_map(|k| {
                labels.get(k.as_str()).map(|v| Req {
                    key: k.clone(),
                    op,
                    values: vec![v.to_string()],
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

// ---- node selectors (nodeaffinity) ----

/// Whether a nodeSelectorRequirement on labels is well formed
/// (nodeSelectorRequirementsAsSelector).
fn label_requirement_valid(r: &NodeSelectorRequirement) -> bool {
    match r.operator.as_str() {
        "In" | "NotIn" => !r.values.is_empty(),
        "Exists" | "DoesNotExist" => r.values.is_empty(),
        "Gt" | "Lt" => r.values.len() == 1 && r.values[0].parse::<i64>().is_ok(),
        _ => false,
    }
}

/// Whether a nodeSelectorTerm selects the node. An empty term selects
/// nothing; a term with a malformed requirement selects nothing.
pub(super) fn term_matches(t: &NodeSelectorTerm, node: &Node) -> bool {
    if t.match_expressions.is_empty() && t.match_fields.is_empty() {
        return false;
    }
    if !t.match_expressions.iter().all(label_requirement_valid) {
        return false;
    }
    if !t
        .match_fields
        .iter()
        .all(|r| matches!(r.operator.as_str(), "In" | "NotIn") && r.values.len() == 1)
    {
        return false;
    }
    let labels = &node.metadata.labels;
    let exprs = t
        .match_expressions
        .iter()
        .all(|r| requirement_matches(&r.key, &r.operator, &r.values, labels));
    if !exprs {
        return false;
    }
    t.match_fields.iter().all(|r| {
        // the only field a node offers is metadata.name
        let value = if r.key == "metadata.name" {
            node.metadata.name.as_str()
        } else {
            ""
        };
        let equal = r.values.first().is_some_and(|v| v == value);
        if r.operator == "In" {
            equal
        } else {
            !equal
        }
    })
}

/// nodeaffinity.RequiredNodeAffinity: the pod's nodeSelector ANDed with its
/// required node affinity terms (ORed).
#[derive(Clone, Copy, Debug)]
pub(super) struct RequiredNodeAffinity<'a> {
    pub node_selector: &'a Labels,
    pub terms: Option<&'a [NodeSelectorTerm]>,
}

/// The pod's node affinity, if it has one.
pub(super) fn node_affinity_of(pod: &Pod) -> Option<&crate::api::pod::NodeAffinity> {
    pod.spec.affinity.as_ref()?.node_affinity.as_ref()
}

impl<'a> RequiredNodeAffinity<'a> {
    pub fn of(pod: &'a Pod) -> RequiredNodeAffinity<'a> {
        let terms = node_affinity_of(pod)
            .and_then(|n| {
                n.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
            .map(|r| r.node_selector_terms.as_slice());
        RequiredNodeAffinity {
            node_selector: &pod.spec.node_selector,
            terms,
        }
    }

    /// True when there is nothing to check (NodeAffinity's PreFilter skips).
    pub fn is_trivial(&self) -> bool {
        self.node_selector.is_empty() && self.terms.is_none()
    }

    pub fn matches(&self, node: &Node) -> bool {
        let labels = &node.metadata.labels;
        if !self
            .node_selector
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
        {
            return false;
        }
        match self.terms {
            None => true,
            Some(terms) => terms.iter().any(|t| term_matches(t, node)),
        }
    }
}

// ---- inter-pod affinity terms ----

/// framework.AffinityTerm (with its weight for preferred terms).
#[derive(Clone, Debug)]
pub(super) struct AffTerm {
    pub namespaces: Vec<String>,
    pub ns_selector: Sel,
    pub selector: Sel,
    pub topology_key: String,
    pub weight: i64,
}

impl AffTerm {
    fn new(owner: &Pod, t: &PodAffinityTerm, weight: i32) -> AffTerm {
        let mut selector = Sel::from_label_selector(t.label_selector.as_ref());
        if t.label_selector.is_some() {
            // The API server merges matchLabelKeys / mismatchLabelKeys into
            // the selector when the pod is created.
            let labels = &owner.metadata.labels;
            selector.add(label_key_reqs(t.match_label_keys.as_ref(), labels, "In"));
            selector.add(label_key_reqs(
                t.mismatch_label_keys.as_ref(),
                labels,
                "NotIn",
            ));
        }
        let namespaces = if t.namespaces.is_empty() && t.namespace_selector.is_none() {
            vec![owner.metadata.namespace.to_string()]
        } else {
            t.namespaces.clone()
        };
        AffTerm {
            namespaces,
            ns_selector: Sel::from_label_selector(t.namespace_selector.as_ref()),
            selector,
            topology_key: t.topology_key.clone(),
            weight: i64::from(weight),
        }
    }

    /// AffinityTerm.Matches: the pod is in one of the term's namespaces (or
    /// its namespace's labels match the namespace selector) and its labels
    /// match the selector.
    pub fn matches(&self, pod: &Pod, ns_labels: &crate::api::meta::LabelMap) -> bool {
        (self.namespaces.iter().any(|n| *n == pod.metadata.namespace)
            || self.ns_selector.matches(ns_labels))
            && self.selector.matches(&pod.metadata.labels)
    }
}

/// A pod's parsed pod affinity and anti-affinity terms.
#[derive(Clone, Debug, Default)]
pub(super) struct AffInfo {
    pub req_aff: Vec<AffTerm>,
    pub req_anti: Vec<AffTerm>,
    pub pref_aff: Vec<AffTerm>,
    pub pref_anti: Vec<AffTerm>,
}

impl AffInfo {
    /// None when the pod has neither pod affinity nor anti-affinity.
    pub fn of(pod: &Pod) -> Option<AffInfo> {
        let a = pod.spec.affinity.as_ref()?;
        if a.pod_affinity.is_none() && a.pod_anti_affinity.is_none() {
            return None;
        }
        let mut info = AffInfo::default();
        if let Some(pa) = &a.pod_affinity {
            info.req_aff = pa
                .required_during_scheduling_ignored_during_execution
                .iter()
                .map(|t| AffTerm::new(pod, t, 0))
                .collect();
            info.pref_aff = pa
                .preferred_during_scheduling_ignored_during_execution
                .iter()
                .map(|w| AffTerm::new(pod, &w.pod_affinity_term, w.weight))
                .collect();
        }
        if let Some(pa) = &a.pod_anti_affinity {
            info.req_anti = pa
                .required_during_scheduling_ignored_during_execution
                .iter()
                .map(|t| AffTerm::new(pod, t, 0))
                .collect();
            info.pref_anti = pa
                .preferred_during_scheduling_ignored_during_execution
                .iter()
                .map(|w| AffTerm::new(pod, &w.pod_affinity_term, w.weight))
                .collect();
        }
        Some(info)
    }

    pub fn is_empty(&self) -> bool {
        self.req_aff.is_empty()
            && self.req_anti.is_empty()
            && self.pref_aff.is_empty()
            && self.pref_anti.is_empty()
    }
}
