//! `kubectl drain NODE`: cordon, then evict.

use crate::args::Args;
use crate::{Console, Output};

pub fn drain(_con: &mut Console, _rest: &[String], _a: &Args) -> Output {
    Output::err("error: drain is not available yet")
}
