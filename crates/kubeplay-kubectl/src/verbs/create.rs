//! `kubectl create job NAME --from=cronjob/NAME`.

use crate::args::Args;
use crate::{Console, Output};

pub fn create(_con: &mut Console, _rest: &[String], _a: &Args, _stdin: Option<&str>) -> Output {
    Output::err("error: create is not available yet")
}
