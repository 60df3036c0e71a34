//! The DaemonSet controller.

use crate::cluster::Cluster;

pub fn reconcile_all(_c: &mut Cluster) {}
