//! `kubectl exec POD -- COMMAND`: runs a command in a simulated container.

use crate::args::Args;
use crate::{Console, Output};

pub fn exec(_con: &mut Console, _rest: &[String], _a: &Args) -> Output {
    Output::err("error: exec is not available yet")
}
