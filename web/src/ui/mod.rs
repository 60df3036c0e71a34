//! The Yew components.

pub mod app;
pub mod cluster;
pub mod guide;
pub mod panels;
