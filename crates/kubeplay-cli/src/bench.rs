//! `kubeplay bench`: wall-clock figures for the simulation on this machine
//! (the core has no clock; timing is done here).

use kubeplay_core::bench::{cluster, running, Mix, CRONJOB};
use kubeplay_core::time::{go_duration, DAY, MINUTE};
use std::process::ExitCode;
use std::time::Instant;

struct Flags {
    nodes: Option<usize>,
    pods: Option<usize>,
    days: Option<usize>,
    cron: bool,
}

fn number(flag: &str, v: Option<&String>) -> Result<usize, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a number"))?;
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "invalid {flag} \"{v}\": expected a positive number"
        )),
    }
}

fn parse(args: &[String]) -> Result<Flags, String> {
    let mut f = Flags {
        nodes: None,
        pods: None,
        days: None,
        cron: false,
    };
    let mut i = 0;
    while i < args.len() {
        let (flag, inline) = match args[i].split_once('=') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (args[i].clone(), None),
        };
        i += 1;
        let mut value = || -> Option<String> {
            inline.clone().or_else(|| {
                i += 1;
                args.get(i - 1).cloned()
            })
        };
        match flag.as_str() {
            "--cron" if inline.is_none() => f.cron = true,
            "--nodes" => f.nodes = Some(number("--nodes", value().as_ref())?),
            "--pods" => f.pods = Some(number("--pods", value().as_ref())?),
            "--days" => f.days = Some(number("--days", value().as_ref())?),
            other => return Err(format!("unknown flag \"{other}\"")),
        }
    }
    if f.nodes.is_some_and(|n| n < 3) {
        return Err("--nodes must be at least 3 (the default cluster's workers)".into());
    }
    if f.cron && f.pods.is_some() {
        return Err("--pods does not go with --cron".into());
    }
    if !f.cron && f.days.is_some() {
        return Err("--days goes with --cron".into());
    }
    Ok(f)
}

pub fn main(seed: u64, args: &[String]) -> ExitCode {
    let f = match parse(args) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("kubeplay bench: {e}\n{}", super::USAGE);
            return ExitCode::from(2);
        }
    };
    if f.cron {
        cron(seed, f.nodes.unwrap_or(1000), f.days.unwrap_or(7))
    } else {
        workloads(seed, f.nodes.unwrap_or(10), f.pods.unwrap_or(150))
    }
}

/// The peak resident memory of this process (Linux only).
fn peak_memory() -> String {
    #[cfg(target_os = "linux")]
    {
        if let Ok(s) = std::fs::read_to_string("/proc/self/status") {
            if let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:")) {
                return l["VmHWM:".len()..].trim().to_string();
            }
        }
    }
    "n/a".into()
}

fn ms(d: std::time::Duration) -> u128 {
    d.as_millis()
}

fn workloads(seed: u64, nodes: usize, pods: usize) -> ExitCode {
    // room for every pod, as on a cluster sized for the load
    let per_node = (pods.div_ceil(nodes) + 10).max(110);
    let Ok(max_pods) = u32::try_from(per_node) else {
        eprintln!("kubeplay bench: too many pods per node");
        return ExitCode::from(2);
    };
    let t = Instant::now();
    let mut c = cluster(seed, nodes, max_pods);
    println!(
        "cluster: {nodes} workers (max {max_pods} pods each) built in {} ms",
        ms(t.elapsed())
    );
    let mix = Mix::new(nodes, pods);
    println!(
        "workloads: 1 DaemonSet ({} pods), {} Deployments ({} pods), {} StatefulSets, Parallel ({} pods)",
        mix.daemonset,
        mix.deployments.len(),
        mix.deployments.iter().sum::<usize>(),
        mix.statefulsets.len(),
        mix.statefulsets.iter().sum::<usize>()
    );
    let start = c.now();
    let t = Instant::now();
    if let Err(e) = kubeplay_core::apply::apply(&mut c, &mix.yaml(), "bench", None) {
        eprintln!("kubeplay bench: {}", e.render());
        return ExitCode::from(1);
    }
    let applied = t.elapsed();
    let mut settled = c.settle(10 * MINUTE);
    while !settled && running(&c) < pods {
        settled = c.settle(10 * MINUTE);
        if c.now().since(start) > 60 * MINUTE {
            break;
        }
    }
    let took = t.elapsed();
    let up = running(&c);
    println!(
        "applied in {} ms; {up} of {pods} pods Running after {} of virtual time",
        ms(applied),
        go_duration(c.now().since(start))
    );
    let rate = (up as f64 / took.as_secs_f64().max(1e-9)).round() as u64;
    println!("scheduled and started: {rate} pods/s");
    println!("peak memory: {}", peak_memory());
    println!(
        "bench: {up} pods on {nodes} nodes settled in {} ms ({rate} pods/s)",
        ms(took)
    );
    if up == pods {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn cron(seed: u64, nodes: usize, days: usize) -> ExitCode {
    let t = Instant::now();
    let mut c = cluster(seed, nodes, 110);
    println!("cluster: {nodes} workers built in {} ms", ms(t.elapsed()));
    if let Err(e) = kubeplay_core::apply::apply(&mut c, CRONJOB, "bench", None) {
        eprintln!("kubeplay bench: {}", e.render());
        return ExitCode::from(1);
    }
    let Ok(days) = i64::try_from(days) else {
        eprintln!("kubeplay bench: too many days");
        return ExitCode::from(2);
    };
    let t = Instant::now();
    c.advance(days * DAY);
    let took = t.elapsed();
    let jobs = c.store.jobs.len();
    println!("peak memory: {}", peak_memory());
    println!(
        "bench: {days} days of a CronJob every 5 minutes on {nodes} nodes in {} ms ({jobs} Jobs kept)",
        ms(took)
    );
    ExitCode::SUCCESS
}
