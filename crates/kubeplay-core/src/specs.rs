//! Pod specs shared between pods made alike.
//!
//! The pods a controller makes from one template get the same spec: the
//! template's, with the pod defaults and the admission plugins applied.
//! Every such pod shares that spec's common part (see
//! [`PodSpec`](crate::api::pod::PodSpec)) instead of holding a copy; what
//! tells them apart (`nodeName`, `hostname`, `subdomain`) is each pod's own,
//! and any other change copies the common part first, so sharing is never
//! seen. Templates are told apart by their spec's identity, which each
//! entry keeps alive, so an identity is never reused while it names one.

use crate::api::pod::{Pod, PodSpec};

/// How many templates' admitted specs are kept (the most recent first).
const ADMITTED: usize = 64;

#[derive(Clone, Debug, Default)]
pub(crate) struct SpecCache {
    /// A template's spec and the spec its pods get.
    admitted: Vec<(PodSpec, PodSpec)>,
}

impl SpecCache {
    /// The spec of a pod made from a template with spec `template`: the
    /// pod defaults and admission applied (see [`crate::defaults`]).
    pub fn admitted(&mut self, template: &PodSpec) -> PodSpec {
        if let Some(i) = self.admitted.iter().position(|(t, _)| t.is_same(template)) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::pod::{Container, PodSpecFields};

    fn template() -> PodSpec {
        let mut t = PodSpecFields::default();
        t.containers.push(Container {
            name: "app".into(),
            image: Some("nginx".into()),
            ..Default::default()
        });
        t.into()
    }

    #[test]
    fn pods_of_one_template_share_their_admitted_spec() {
        let mut c = SpecCache::default();
        let t = template();
        let a = c.admitted(&t);
        let b = c.admitted(&t);
        assert!(a.is_same(&b));
        // the same as the API server's defaults for the pod itself
        let mut obj = crate::api::Object::Pod(Pod {
            spec: t.clone(),
            ..Default::default()
        });
        crate::defaults::apply_defaults(&mut obj);
        match obj {
            crate::api::Object::Pod(pod) => assert_eq!(a, pod.spec),
            other => panic!("not a pod: {other:?}"),
        }
        assert_eq!(a.service_account_name.as_deref(), Some("default"));
        // another template (even an equal one) gets its own
        let other = c.admitted(&template());
        assert!(!a.is_same(&other));
    }

    #[test]
    fn pods_on_any_node_share_their_spec_and_a_change_copies_it() {
        let mut c = SpecCache::default();
        let shared = c.admitted(&template());
        let (mut p1, mut p2, mut p3) = (shared.clone(), shared.clone(), shared.clone());
        p1.node_name = Some("node-1".into());
        p2.node_name = Some("node-1".into());
        p3.node_name = Some("node-2".into());
        p3.hostname = Some("web-0".into());
        assert!(p1.is_same(&p2));
        assert!(std::ptr::eq(&*p1, &*p3), "one common part");
        assert_eq!(shared.node_name, None);
        assert_eq!(p3.node_name.as_deref(), Some("node-2"));
        p2.containers[0].image = Some("nginx:1.27".into());
        assert!(!std::ptr::eq(&*p1, &*p2));
        assert_eq!(p1.containers[0].image.as_deref(), Some("nginx"));
        assert_eq!(p2.node_name.as_deref(), Some("node-1"));
        // the YAML has every field in its place
        let y = crate::codec::Encode::encode(&p3);
        assert_eq!(y["nodeName"], "node-2");
        assert_eq!(y["hostname"], "web-0");
        let doc = crate::yaml::parse_documents(&y.to_string())
            .unwrap()
            .remove(0);
        let back: PodSpec = crate::yaml::decode(&doc, "").unwrap();
        assert_eq!(back, p3);
    }
}
