//! A client's watch on one kind (`kubectl get KIND -w`): every write to a
//! matching object, as it was after the write, and every removal, as the
//! object last was, each with the virtual time it happened, for the client
//! to print as the API server's watch events reach it.

use crate::api::{Kind, Object};
use crate::cluster::Cluster;
use crate::store::ObjKey;
use crate::time::Time;

/// Events a watch keeps before it stops recording (a client that never
/// reads them cannot make the cluster hold more).
pub const MAX_EVENTS: usize = 20_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Watch {
    pub kind: Kind,
    /// The namespace watched; `None` for every namespace.
    pub namespace: Option<String>,
    /// What happened since the client last read, oldest first.
    pub events: Vec<WatchEvent>,
    /// Events not kept because the client had not read [`MAX_EVENTS`].
    pub dropped: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WatchEvent {
    pub at: Time,
    pub object: Object,
    pub deleted: bool,
}

impl Watch {
    pub fn new(kind: Kind, namespace: Option<String>) -> Watch {
        Watch {
            kind,
            namespace,
            events: vec![],
            dropped: 0,
        }
    }

    fn covers(&self, kind: Kind, k: &ObjKey) -> bool {
        kind == self.kind && self.namespace.as_deref().is_none_or(|ns| k.0 == ns)
    }
}

impl Cluster {
    /// Records the object at `k` for the watch, if one covers it: after a
    /// write, or (`deleted`) just before its removal.
    pub(crate) fn watch_event(&mut self, kind: Kind, k: &ObjKey, deleted: bool) {
        let covered = self.watch.as_ref().is_some_and(|w| w.covers(kind, k));
        if !covered {
            return;
        }
        let at = self.now();
        let Some(object) = self.store.get_object(kind, k) else {
            return;
        };
        if let Some(w) = self.watch.as_mut() {
            if w.events.len() >= MAX_EVENTS {
                w.dropped += 1;
            } else {
                w.events.push(WatchEvent {
                    at,
                    object,
                    deleted,
                });
            }
        }
    }
}
