//! kube-scheduler: binds pending pods to nodes.

use crate::cluster::Cluster;

pub fn schedule_pending(_c: &mut Cluster) {}
