//! The kubeplay console.
