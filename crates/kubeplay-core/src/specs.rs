//! Pod specs shared between pods made alike.
//!
//! The pods a controller makes from one template get the same spec (the
//! template's, with the pod defaults and the admission plugins applied),
//! and once bound the same spec again but for `nodeName`. Every such pod
//! points at one shared spec per template and node instead of holding a
//! copy: a change to one pod's spec copies it first (`Rc::make_mut`), so
//! sharing is never seen. Specs are told apart by the address of the spec
//! they were made from, which each entry keeps alive, so an address is
//! never reused while it names an entry.

use crate::api::pod::{Pod, PodSpec};
use crate::api::Name;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How many templates' admitted specs are kept (the most recent first).
const ADMITTED: usize = 64;

/// The bound specs kept before those no pod uses are dropped.
const BOUND_PRUNE_AT: usize = 1024;

#[derive(Clone, Debug, Default)]
pub(crate) struct SpecCache {
    /// A template's spec and the spec its pods get.
    admitted: Vec<(Rc<PodSpec>, Rc<PodSpec>)>,
    /// A shared pod spec (by address) and a node, and the same spec bound
    /// to that node, with the spec it was made from.
    bound: BTreeMap<(usize, Name), (Rc<PodSpec>, Rc<PodSpec>)>,
    /// The size at which `bound` is next pruned.
    prune_at: usize,
}

impl SpecCache {
    /// The spec of a pod made from a template with spec `template`: the
    /// pod defaults and admission applied (see [`crate::defaults`]).
    pub fn admitted(&mut self, template: &Rc<PodSpec>) -> Rc<PodSpec> {
        if let Some(i) = self
            .admitted
            .iter()
            .position(|(t, _)| Rc::ptr_eq(t, template))
        {
            let out = self.admitted[i].1.clone();
            if i > 0 {
                let e = self.admitted.remove(i);
                self.admitted.insert(0, e);
            }
            return out;
        }
        let mut pod = Pod {
            spec: template.clone(),
            ..Default::default()
        };
        crate::defaults::default_pod(&mut pod);
        self.admitted
            .insert(0, (template.clone(), pod.spec.clone()));
        self.admitted.truncate(ADMITTED);
        pod.spec
    }

    /// Sets a pod's `nodeName`: a spec shared with other pods becomes the
    /// one shared spec for its pods on that node.
    pub fn bind(&mut self, spec: &mut Rc<PodSpec>, node: &str) {
        if Rc::strong_count(spec) == 1 {
            Rc::make_mut(spec).node_name = Some(Name::new(node));
            return;
        }
        let key = (Rc::as_ptr(spec) as usize, Name::new(node));
        if let Some((_, out)) = self.bound.get(&key) {
            *spec = out.clone();
            return;
        }
        let from = spec.clone();
        Rc::make_mut(spec).node_name = Some(Name::new(node));
        self.bound.insert(key, (from, spec.clone()));
        if self.bound.len() >= self.prune_at.max(BOUND_PRUNE_AT) {
            // keep what a pod still uses, or may still be bound from
            self.bound
                .retain(|_, (from, out)| Rc::strong_count(out) > 1 && Rc::strong_count(from) > 1);
            self.prune_at = 2 * self.bound.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Rc<PodSpec> {
        let mut t = PodSpec::default();
        t.containers.push(crate::api::pod::Container {
            name: "app".into(),
            image: Some("nginx".into()),
            ..Default::default()
        });
        Rc::new(t)
    }

    #[test]
    fn pods_of_one_template_share_their_admitted_spec() {
        let mut c = SpecCache::default();
        let t = template();
        let a = c.admitted(&t);
        let b = c.admitted(&t);
        assert!(Rc::ptr_eq(&a, &b));
        // the same as the API server's defaults for the pod itself
        let mut obj = crate::api::Object::Pod(Pod {
            spec: t.clone(),
            ..Default::default()
        });
        crate::defaults::apply_defaults(&mut obj);
        match obj {
            crate::api::Object::Pod(pod) => assert_eq!(*a, *pod.spec),
            other => panic!("not a pod: {other:?}"),
        }
        assert_eq!(a.service_account_name.as_deref(), Some("default"));
        // another template (even an equal one) gets its own
        let other = c.admitted(&template());
        assert!(!Rc::ptr_eq(&a, &other));
    }

    #[test]
    fn pods_bound_to_one_node_share_one_spec_and_a_change_copies_it() {
        let mut c = SpecCache::default();
        let t = template();
        let shared = c.admitted(&t);
        let (mut p1, mut p2, mut p3) = (shared.clone(), shared.clone(), shared.clone());
        c.bind(&mut p1, "node-1");
        c.bind(&mut p2, "node-1");
        c.bind(&mut p3, "node-2");
        assert!(Rc::ptr_eq(&p1, &p2));
        assert_eq!(p1.node_name.as_deref(), Some("node-1"));
        assert_eq!(p3.node_name.as_deref(), Some("node-2"));
        assert_eq!(shared.node_name, None);
        Rc::make_mut(&mut p2).hostname = Some("web-0".into());
        assert_eq!(p1.hostname, None);
        assert_eq!(p2.node_name.as_deref(), Some("node-1"));
    }

    #[test]
    fn a_spec_of_its_own_is_bound_in_place() {
        let mut c = SpecCache::default();
        let mut own = template();
        let at = Rc::as_ptr(&own);
        c.bind(&mut own, "node-3");
        assert_eq!(Rc::as_ptr(&own), at);
        assert_eq!(own.node_name.as_deref(), Some("node-3"));
        assert!(c.bound.is_empty());
    }

    #[test]
    fn bound_specs_no_pod_uses_are_dropped() {
        let mut c = SpecCache::default();
        let t = template();
        let shared = c.admitted(&t);
        for i in 0..BOUND_PRUNE_AT {
            let mut s = shared.clone();
            c.bind(&mut s, &format!("node-{i}"));
            // the pod is gone at once
        }
        assert!(c.bound.len() < BOUND_PRUNE_AT);
        let mut kept = shared.clone();
        c.bind(&mut kept, "node-x");
        assert_eq!(kept.node_name.as_deref(), Some("node-x"));
    }
}
