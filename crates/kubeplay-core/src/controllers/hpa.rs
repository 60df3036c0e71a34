//! The horizontal pod autoscaler controller (kubernetes
//! pkg/controller/podautoscaler: horizontal.go, replica_calculator.go).
//!
//! Every 15 seconds (`--horizontal-pod-autoscaler-sync-period`), starting
//! 15 seconds after an HPA is created, it reads the target's scale and the
//! last metrics-server scrape of its pods, and proposes
//! `ceil(current * usage / target)` replicas, within a 10% tolerance.
//! Pending and not-yet-ready pods count as using nothing on a scale-up;
//! pods without metrics count as using nothing on a scale-up and their full
//! request on a scale-down. A scale-down takes the highest recommendation of
//! the last 5 minutes; without a `behavior` a scale-up is capped at
//! max(2 * current, 4), with one the `behavior` policies apply.

use crate::api::autoscaling::*;
use crate::api::*;
use crate::cluster::Cluster;
use crate::store::ObjKey;
use crate::time::{Time, MINUTE, SECOND};

const SYNC_PERIOD: i64 = 15 * SECOND;
const TOLERANCE: f64 = 0.1;
/// --horizontal-pod-autoscaler-downscale-stabilization
const DOWNSCALE_STABILIZATION: i64 = 5 * MINUTE;
/// --horizontal-pod-autoscaler-cpu-initialization-period
const CPU_INITIALIZATION_PERIOD: i64 = 5 * MINUTE;
/// --horizontal-pod-autoscaler-initial-readiness-delay
const INITIAL_READINESS_DELAY: i64 = 30 * SECOND;
const COMPONENT: &str = "horizontal-pod-autoscaler";

#[derive(Clone, Copy, Debug)]
struct ScaleEvent {
    change: i32,
    at: Time,
    outdated: bool,
}

/// What the controller keeps in memory for one HPA.
#[derive(Clone, Debug)]
pub struct HpaRuntime {
    uid: String,
    next_sync: Time,
    recommendations: Vec<(i32, Time)>,
    scale_up: Vec<ScaleEvent>,
    scale_down: Vec<ScaleEvent>,
}

pub fn reconcile_all(c: &mut Cluster) {
    let now = c.now();
    let hpas: Vec<(ObjKey, String, Option<Time>)> = c
        .store
        .hpas
        .iter()
        .map(|(k, h)| {
            (
                k.clone(),
                h.metadata.uid.to_string(),
                h.metadata.creation_timestamp,
            )
        })
        .collect();
    c.hpa_rt
        .retain(|k, rt| hpas.iter().any(|(hk, uid, _)| hk == k && *uid == rt.uid));
    for (k, uid, created) in hpas {
        let rt = c.hpa_rt.entry(k.clone()).or_insert_with(|| HpaRuntime {
            uid,
            // a new HPA is queued with the resync delay
            next_sync: created.unwrap_or(now).plus(SYNC_PERIOD).max(now),
            recommendations: vec![],
            scale_up: vec![],
            scale_down: vec![],
        });
        if now < rt.next_sync {
            let at = rt.next_sync;
            c.wake_at(at, true);
            continue;
        }
        let mut next = rt.next_sync;
        while next <= now {
            next = next.plus(SYNC_PERIOD);
        }
        rt.next_sync = next;
        c.wake_at(next, true);
        sync(c, &k);
    }
}

/// The scale subresource of a target: spec replicas, status replicas and
/// the pods its selector picks.
struct Scale {
    kind: Kind,
    replicas: i32,
    selector: Option<LabelSelector>,
}

fn get_scale(c: &Cluster, ns: &str, r: &CrossVersionObjectReference) -> Result<Scale, String> {
    let gv = r.api_version.as_deref().unwrap_or("");
    let group = match gv.split_once('/') {
        Some((g, _)) => g,
        None => "",
    };
    let Some(kind) = KINDS
        .iter()
        .find(|k| k.name == r.kind && k.group == group)
        .map(|k| k.kind)
    else {
        return Err(format!(
            "no matches for kind \"{}\" in group \"{group}\"",
            r.kind
        ));
    };
    let missing = || crate::cluster::ApiError::not_found(kind, &r.name).to_string();
    match kind {
        Kind::Deployment => c
            .get::<Deployment>(ns, &r.name)
            .map(|d| Scale {
                kind,
                replicas: d.replicas(),
                selector: d.spec.selector.clone(),
            })
            .ok_or_else(missing),
        Kind::ReplicaSet => c
            .get::<ReplicaSet>(ns, &r.name)
            .map(|d| Scale {
                kind,
                replicas: d.replicas(),
                selector: d.spec.selector.clone(),
            })
            .ok_or_else(missing),
        Kind::StatefulSet => c
            .get::<StatefulSet>(ns, &r.name)
            .map(|d| Scale {
                kind,
                replicas: d.replicas(),
                selector: d.spec.selector.clone(),
            })
            .ok_or_else(missing),
        _ => Err("the server could not find the requested resource".into()),
    }
}

fn set_replicas(c: &mut Cluster, kind: Kind, ns: &str, name: &str, replicas: i32) {
    match kind {
        Kind::Deployment => {
            c.update::<Deployment>(ns, name, |d| {
                d.spec.replicas = Some(replicas);
                d.metadata.generation += 1;
            });
        }
        Kind::StatefulSet => {
            c.update::<StatefulSet>(ns, name, |d| {
                d.spec.replicas = Some(replicas);
                d.metadata.generation += 1;
            });
        }
        _ => {
            c.update::<ReplicaSet>(ns, name, |d| {
                d.spec.replicas = Some(replicas);
                d.metadata.generation += 1;
            });
        }
    }
}

/// setConditionInList: the transition time moves only when the status does.
fn set_condition(
    s: &mut HorizontalPodAutoscalerStatus,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Time,
) {
    let i = match s.conditions.iter().position(|c| c.type_ == type_) {
        Some(i) => i,
        None => {
            s.conditions.push(HpaCondition {
                type_: type_.into(),
                ..Default::default()
            });
            s.conditions.len() - 1
        }
    };
    let cond = &mut s.conditions[i];
    if cond.status != status {
        cond.last_transition_time = Some(now);
    }
    cond.status = status.into();
    cond.reason = reason.into();
    cond.message = message.into();
}

/// A milli-value as resource.NewMilliQuantity(v, DecimalSI) prints it.
pub fn milli_quantity(v: i64) -> Quantity {
    if v % 1000 != 0 {
        return Quantity(format!("{v}m"));
    }
    let mut n = v / 1000;
    for suffix in ["", "k", "M", "G", "T", "P", "E"] {
        if n % 1000 != 0 || n == 0 || suffix == "E" {
            return Quantity(format!("{n}{suffix}"));
        }
        n /= 1000;
    }
    Quantity(n.to_string())
}

struct Ctx<'a> {
    c: &'a mut Cluster,
    hpa: &'a HorizontalPodAutoscaler,
    now: Time,
}

impl Ctx<'_> {
    fn event(&mut self, type_: &str, reason: &str, message: &str) {
        let r = Cluster::object_ref(self.hpa);
        self.c.record(r, type_, reason, message, COMPONENT);
    }
}

/// One pod's metric: its value (milli-units) and when it was taken.
struct PodMetric {
    value: i64,
    timestamp: Time,
    window: i64,
}

/// The pods of the target and their metric (`GetResourceMetric`): the
/// summed usage of all (or one) of their containers at the last scrape.
fn resource_metrics(
    c: &Cluster,
    pods: &[Pod],
    resource: &str,
    container: Option<&str>,
) -> Result<Vec<(String, PodMetric)>, String> {
    let raw: Vec<crate::metrics::PodMetrics> = pods
        .iter()
        .filter_map(|p| crate::metrics::pod_metrics(c, &p.metadata.namespace, &p.metadata.name))
        .collect();
    if raw.is_empty() {
        return Err("no metrics returned from resource metrics API".into());
    }
    Ok(raw
        .into_iter()
        .filter_map(|m| {
            let value: i64 = m
                .containers
                .iter()
                .filter(|x| container.is_none_or(|want| x.name == want))
                .map(|x| {
                    if resource == "cpu" {
                        x.cpu_milli
                    } else {
                        x.memory_bytes * 1000
                    }
                })
                .sum();
            if container.is_some_and(|want| !m.containers.iter().any(|x| x.name == want)) {
                return None;
            }
            Some((
                m.name.clone(),
                PodMetric {
                    value,
                    timestamp: m.timestamp,
                    window: m.window_ms,
                },
            ))
        })
        .collect())
}

/// groupPods: (ready count, unready, missing, ignored).
fn group_pods(
    pods: &[Pod],
    metrics: &[(String, PodMetric)],
    resource: &str,
    now: Time,
) -> (usize, Vec<String>, Vec<String>, Vec<String>) {
    let (mut ready, mut unready, mut missing, mut ignored) = (0, vec![], vec![], vec![]);
    for p in pods {
        let name = p.metadata.name.to_string();
        if p.is_terminating() || p.phase() == "Failed" {
            ignored.push(name);
            continue;
        }
        if p.phase() == "Pending" {
            unready.push(name);
            continue;
        }
        let Some((_, m)) = metrics.iter().find(|(n, _)| *n == name) else {
            missing.push(name);
            continue;
        };
        if resource == "cpu" {
            let cond = p.status.conditions.iter().find(|c| c.type_ == "Ready");
            let is_unready = match (cond, p.status.start_time) {
                (Some(cond), Some(start)) => {
                    let since = cond.last_transition_time.unwrap_or(start);
                    if start.plus(CPU_INITIALIZATION_PERIOD) > now {
                        cond.status == "False" || m.timestamp < since.plus(m.window)
                    } else {
                        cond.status == "False" && start.plus(INITIAL_READINESS_DELAY) > since
                    }
                }
                _ => true,
            };
            if is_unready {
                unready.push(name);
                continue;
            }
        }
        ready += 1;
    }
    (ready, unready, missing, ignored)
}

/// calculatePodRequests: every container (or the named one) must request
/// the resource.
fn pod_requests(
    pods: &[Pod],
    resource: &str,
    container: Option<&str>,
) -> Result<Vec<(String, i64)>, String> {
    let mut out = vec![];
    for p in pods {
        let mut sum = 0i64;
        for ct in &p.spec.containers {
            if container.is_some_and(|want| want != ct.name) {
                continue;
            }
            match ct
                .resources
                .requests
                .get(resource)
                .and_then(Quantity::milli)
            {
                Some(m) => sum += i64::try_from(m).unwrap_or(i64::MAX),
                None => {
                    return Err(format!(
                        "missing request for {resource} in container {} of Pod {}",
                        ct.name, p.metadata.name
                    ))
                }
            }
        }
        out.push((p.metadata.name.to_string(), sum));
    }
    Ok(out)
}

/// GetResourceUtilizationRatio: (ratio, utilization %, raw average).
fn utilization_ratio(
    metrics: &[(String, i64)],
    requests: &[(String, i64)],
    target: i32,
) -> Result<(f64, i32, i64), String> {
    let (mut used, mut requested, mut n) = (0i64, 0i64, 0i64);
    for (pod, v) in metrics {
        let Some((_, r)) = requests.iter().find(|(p, _)| p == pod) else {
            continue;
        };
        used += v;
        requested += r;
        n += 1;
    }
    if requested == 0 {
        return Err("no metrics returned matched known pods".into());
    }
    let util = (used * 100 / requested) as i32;
    Ok((f64::from(util) / f64::from(target), util, used / n.max(1)))
}

/// GetResourceReplicas: (replicas, utilization %, raw average).
fn resource_replicas(
    c: &Cluster,
    pods: &[Pod],
    current: i32,
    target: i32,
    resource: &str,
    container: Option<&str>,
    now: Time,
) -> Result<(i32, i32, i64), String> {
    let raw = resource_metrics(c, pods, resource, container)
        .map_err(|e| format!("unable to get metrics for resource {resource}: {e}"))?;
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let (ready, unready, missing, ignored) = group_pods(pods, &raw, resource, now);
    let mut metrics: Vec<(String, i64)> = raw
        .iter()
        .filter(|(n, _)| !ignored.contains(n) && !unready.contains(n))
        .map(|(n, m)| (n.clone(), m.value))
        .collect();
    if metrics.is_empty() {
        return Err("did not receive metrics for targeted pods (pods might be unready)".into());
    }
    let requests = pod_requests(pods, resource, container)?;
    let (ratio, util, rawv) = utilization_ratio(&metrics, &requests, target)?;
    let up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !up_with_unready && missing.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            return Ok((current, util, rawv));
        }
        return Ok(((ratio * ready as f64).ceil() as i32, util, rawv));
    }
    let request_of = |n: &str| requests.iter().find(|(p, _)| p == n).map_or(0, |r| r.1);
    if !missing.is_empty() {
        if ratio < 1.0 {
            let fallback = i64::from(target.max(100));
            for n in &missing {
                metrics.push((n.clone(), request_of(n) * fallback / 100));
            }
        } else if ratio > 1.0 {
            for n in &missing {
                metrics.push((n.clone(), 0));
            }
        }
    }
    if up_with_unready {
        for n in &unready {
            metrics.push((n.clone(), 0));
        }
    }
    let (new_ratio, _, _) = utilization_ratio(&metrics, &requests, target)?;
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok((current, util, rawv));
    }
    let replicas = (new_ratio * metrics.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current) {
        return Ok((current, util, rawv));
    }
    Ok((replicas, util, rawv))
}

/// GetRawResourceReplicas / calcPlainMetricReplicas: (replicas, average).
fn raw_resource_replicas(
    c: &Cluster,
    pods: &[Pod],
    current: i32,
    target: i64,
    resource: &str,
    container: Option<&str>,
    now: Time,
) -> Result<(i32, i64), String> {
    let raw = resource_metrics(c, pods, resource, container)
        .map_err(|e| format!("unable to get metrics for resource {resource}: {e}"))?;
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let (ready, unready, missing, ignored) = group_pods(pods, &raw, resource, now);
    let mut metrics: Vec<i64> = raw
        .iter()
        .filter(|(n, _)| !ignored.contains(n) && !unready.contains(n))
        .map(|(_, m)| m.value)
        .collect();
    if metrics.is_empty() {
        return Err("did not receive metrics for targeted pods (pods might be unready)".into());
    }
    let ratio_of = |m: &[i64]| {
        let usage = m.iter().sum::<i64>() / m.len().max(1) as i64;
        (usage as f64 / target as f64, usage)
    };
    let (ratio, usage) = ratio_of(&metrics);
    let up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !up_with_unready && missing.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            return Ok((current, usage));
        }
        return Ok(((ratio * ready as f64).ceil() as i32, usage));
    }
    if !missing.is_empty() {
        if ratio < 1.0 {
            metrics.extend(missing.iter().map(|_| target));
        } else if ratio > 1.0 {
            metrics.extend(missing.iter().map(|_| 0));
        }
    }
    if up_with_unready {
        metrics.extend(unready.iter().map(|_| 0));
    }
    let (new_ratio, _) = ratio_of(&metrics);
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok((current, usage));
    }
    let replicas = (new_ratio * metrics.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current) {
        return Ok((current, usage));
    }
    Ok((replicas, usage))
}

/// A metric that could not be computed: the ScalingActive condition it
/// sets and the error it reports.
struct MetricError {
    reason: String,
    message: String,
    error: String,
}

/// computeReplicasForMetric for one metric spec.
fn compute_metric(
    x: &mut Ctx<'_>,
    spec: &MetricSpec,
    pods: &[Pod],
    current: i32,
) -> Result<(i32, String, MetricStatus), MetricError> {
    let unable = |x: &mut Ctx<'_>, reason: &str, err: String, wrapped: String| {
        x.event("Warning", reason, &err);
        MetricError {
            reason: reason.into(),
            message: format!("the HPA was unable to compute the replica count: {err}"),
            error: wrapped,
        }
    };
    let (name, target, container, reason) = match (
        spec.type_.as_str(),
        &spec.resource,
        &spec.container_resource,
    ) {
        ("Resource", Some(r), _) => (
            r.name.clone(),
            r.target.clone(),
            None,
            "FailedGetResourceMetric",
        ),
        ("ContainerResource", _, Some(r)) => (
            r.name.clone(),
            r.target.clone(),
            Some(r.container.clone()),
            "FailedGetContainerResourceMetric",
        ),
        (t, _, _) => {
            let (reason, what, metric) = match t {
                "Pods" => (
                    "FailedGetPodsMetric",
                    "pods",
                    spec.pods.as_ref().map(|p| p.metric.name.clone()),
                ),
                "Object" => (
                    "FailedGetObjectMetric",
                    "object",
                    spec.object.as_ref().map(|p| p.metric.name.clone()),
                ),
                _ => (
                    "FailedGetExternalMetric",
                    "external",
                    spec.external.as_ref().map(|p| p.metric.name.clone()),
                ),
            };
            let metric = metric.unwrap_or_default();
            let api = if what == "external" {
                "external.metrics.k8s.io"
            } else {
                "custom.metrics.k8s.io"
            };
            let err = format!("unable to get metric {metric}: unable to fetch metrics from {what} metrics API: no {} metrics API ({api}) registered", if what == "external" { "external" } else { "custom" });
            let wrapped = format!("failed to get {what} metric value: {err}");
            return Err(unable(x, reason, err, wrapped));
        }
    };
    let wrap = |e: &str| match &container {
        Some(ct) => format!("failed to get {ct} container metric value: {e}"),
        None => format!("failed to get {name} resource metric value: {e}"),
    };
    let kind_word = if container.is_some() {
        " container"
    } else {
        ""
    };
    if let Some(avg) = &target.average_value {
        let t = avg
            .milli()
            .and_then(|m| i64::try_from(m).ok())
            .unwrap_or(1)
            .max(1);
        return match raw_resource_replicas(
            x.c,
            pods,
            current,
            t,
            &name,
            container.as_deref(),
            x.now,
        ) {
            Ok((r, usage)) => {
                let current = MetricValueStatus {
                    average_value: Some(milli_quantity(usage)),
                    ..Default::default()
                };
                Ok((
                    r,
                    format!("{name} resource"),
                    metric_status(spec, &name, current),
                ))
            }
            Err(e) => {
                let err = format!("failed to get {name} usage: {e}");
                let wrapped = wrap(&err);
                Err(unable(x, reason, err, wrapped))
            }
        };
    }
    let Some(util) = target.average_utilization else {
        let err = "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set".to_string();
        let wrapped = wrap(&err);
        return Err(unable(x, reason, err, wrapped));
    };
    match resource_replicas(x.c, pods, current, util, &name, container.as_deref(), x.now) {
        Ok((r, pct, raw)) => {
            let current = MetricValueStatus {
                average_utilization: Some(pct),
                average_value: Some(milli_quantity(raw)),
                ..Default::default()
            };
            Ok((
                r,
                format!("{name}{kind_word} resource utilization (percentage of request)"),
                metric_status(spec, &name, current),
            ))
        }
        Err(e) => {
            let err = format!("failed to get {name} utilization: {e}");
            let wrapped = wrap(&err);
            Err(unable(x, reason, err, wrapped))
        }
    }
}

fn metric_status(spec: &MetricSpec, name: &str, current: MetricValueStatus) -> MetricStatus {
    match &spec.container_resource {
        Some(r) if spec.type_ == "ContainerResource" => MetricStatus {
            type_: "ContainerResource".into(),
            container_resource: Some(ContainerResourceMetricStatus {
                container: r.container.clone(),
                current,
                name: name.into(),
            }),
            ..Default::default()
        },
        _ => MetricStatus {
            type_: "Resource".into(),
            resource: Some(ResourceMetricStatus {
                current,
                name: name.into(),
            }),
            ..Default::default()
        },
    }
}

fn sync(c: &mut Cluster, k: &ObjKey) {
    let Some(hpa) = c.store.hpas.get(k).cloned() else {
        return;
    };
    let now = c.now();
    let ns = k.0.clone();
    let mut st = hpa.status.clone();
    let mut x = Ctx { c, hpa: &hpa, now };
    let scale = match get_scale(x.c, &ns, &hpa.spec.scale_target_ref) {
        Ok(s) => s,
        Err(e) => {
            x.event("Warning", "FailedGetScale", &e);
            set_condition(
                &mut st,
                "AbleToScale",
                "False",
                "FailedGetScale",
                &format!("the HPA controller was unable to get the target's current scale: {e}"),
                now,
            );
            write_status(x.c, k, st);
            return;
        }
    };
    set_condition(
        &mut st,
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
        now,
    );
    let current = scale.replicas;
    if let Some(rt) = x.c.hpa_rt.get_mut(k) {
        if rt.recommendations.is_empty() {
            rt.recommendations.push((current, now));
        }
    }
    // the workloads' replica limit bounds what the autoscaler may ask for
    let limit = crate::validation::MAX_REPLICAS as i32;
    let min = hpa.min_replicas().min(limit);
    let max = hpa.spec.max_replicas.min(limit);
    let mut statuses: Vec<MetricStatus> = vec![];
    let mut reason = String::new();
    let (mut desired, rescale) = if current == 0 && min != 0 {
        set_condition(
            &mut st,
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero",
            now,
        );
        (0, false)
    } else if current > max {
        reason = "Current number of replicas above Spec.MaxReplicas".into();
        (max, max != current)
    } else if current < min {
        reason = "Current number of replicas below Spec.MinReplicas".into();
        (min, min != current)
    } else {
        let pods: Vec<Pod> = match &scale.selector {
            Some(sel) => {
                x.c.store
                    .list_ns::<Pod>(&ns)
                    .filter(|p| sel.matches(&p.metadata.labels))
                    .cloned()
                    .collect()
            }
            None => vec![],
        };
        let n = hpa.spec.metrics.len();
        statuses = vec![MetricStatus::default(); n];
        let (mut proposal, mut metric) = (0, String::new());
        let mut first_err: Option<MetricError> = None;
        let mut invalid = 0;
        for (i, spec) in hpa.spec.metrics.iter().enumerate() {
            match compute_metric(&mut x, spec, &pods, current) {
                Ok((r, name, s)) => {
                    statuses[i] = s;
                    if proposal == 0 || r > proposal {
                        proposal = r;
                        metric = name;
                    }
                }
                Err(e) => {
                    invalid += 1;
                    first_err.get_or_insert(e);
                }
            }
        }
        if invalid >= n || (invalid > 0 && proposal < current) {
            if let Some(e) = first_err {
                set_condition(
                    &mut st,
                    "ScalingActive",
                    "False",
                    &e.reason,
                    &e.message,
                    now,
                );
                st.current_replicas = current;
                st.current_metrics = statuses;
                write_status(x.c, k, st);
                x.event(
                    "Warning",
                    "FailedComputeMetricsReplicas",
                    &format!(
                        "invalid metrics ({invalid} invalid out of {n}), first error is: {}",
                        e.error
                    ),
                );
            }
            return;
        }
        set_condition(
            &mut st,
            "ScalingActive",
            "True",
            "ValidMetricFound",
            &format!("the HPA was able to successfully calculate a replica count from {metric}"),
            now,
        );
        let mut desired = 0;
        let mut rescale_metric = String::new();
        if proposal > desired {
            desired = proposal;
            rescale_metric = metric;
        }
        if desired > current {
            reason = format!("{rescale_metric} above target");
        }
        if desired < current {
            reason = "All metrics below target".into();
        }
        let desired = match &hpa.spec.behavior {
            None => normalize(x.c, k, &mut st, current, desired, min, max, now),
            Some(b) => normalize_with_behavior(x.c, k, &mut st, b, current, desired, min, max, now),
        };
        (desired, desired != current)
    };
    if rescale {
        set_replicas(
            x.c,
            scale.kind,
            &ns,
            &hpa.spec.scale_target_ref.name,
            desired,
        );
        set_condition(
            &mut st,
            "AbleToScale",
            "True",
            "SucceededRescale",
            &format!("the HPA controller was able to update the target scale to {desired}"),
            now,
        );
        x.event(
            "Normal",
            "SuccessfulRescale",
            &format!("New size: {desired}; reason: {reason}"),
        );
        if hpa.spec.behavior.is_some() {
            store_scale_event(x.c, k, &hpa, current, desired, now);
        }
        st.last_scale_time = Some(now);
    } else {
        desired = current;
    }
    st.current_replicas = current;
    st.desired_replicas = desired;
    st.current_metrics = statuses;
    write_status(x.c, k, st);
}

fn write_status(c: &mut Cluster, k: &ObjKey, st: HorizontalPodAutoscalerStatus) {
    c.update::<HorizontalPodAutoscaler>(&k.0, &k.1, |h| h.status = st);
}

/// normalizeDesiredReplicas: the highest recommendation of the last five
/// minutes, then min/max and the max(2x, 4) scale-up cap.
#[allow(clippy::too_many_arguments)]
fn normalize(
    c: &mut Cluster,
    k: &ObjKey,
    st: &mut HorizontalPodAutoscalerStatus,
    current: i32,
    proposed: i32,
    min: i32,
    max: i32,
    now: Time,
) -> i32 {
    let mut stabilized = proposed;
    if let Some(rt) = c.hpa_rt.get_mut(k) {
        let cutoff = now.plus(-DOWNSCALE_STABILIZATION);
        let mut old = None;
        for (i, (r, at)) in rt.recommendations.iter().enumerate() {
            if *at < cutoff {
                old = Some(i);
            } else if *r > stabilized {
                stabilized = *r;
            }
        }
        match old {
            Some(i) => rt.recommendations[i] = (proposed, now),
            None => rt.recommendations.push((proposed, now)),
        }
    }
    if stabilized != proposed {
        set_condition(st, "AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation", now);
    } else {
        set_condition(
            st,
            "AbleToScale",
            "True",
            "ReadyForNewScale",
            "recommended size matches current size",
            now,
        );
    }
    let up_limit = (2 * current).max(4);
    let (max_allowed, reason, message) = if max > up_limit {
        (
            up_limit,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    };
    let (desired, reason, message) = if stabilized < min {
        (
            min,
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count",
        )
    } else if stabilized > max_allowed {
        (max_allowed, reason, message)
    } else {
        (
            stabilized,
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        )
    };
    let limited = if desired == stabilized {
        "False"
    } else {
        "True"
    };
    set_condition(st, "ScalingLimited", limited, reason, message, now);
    desired
}

fn changes_in(events: &[ScaleEvent], period_s: i32, now: Time) -> i32 {
    let cutoff = now.plus(-i64::from(period_s) * SECOND);
    events
        .iter()
        .filter(|e| e.at > cutoff)
        .map(|e| e.change)
        .sum()
}

fn longest_period(rules: Option<&HpaScalingRules>) -> i32 {
    rules
        .and_then(|r| r.policies.as_ref())
        .map(|p| p.iter().map(|p| p.period_seconds).max().unwrap_or(0))
        .unwrap_or(0)
}

fn store_scale_event(
    c: &mut Cluster,
    k: &ObjKey,
    hpa: &HorizontalPodAutoscaler,
    prev: i32,
    new: i32,
    now: Time,
) {
    let b = hpa.spec.behavior.as_ref();
    let Some(rt) = c.hpa_rt.get_mut(k) else {
        return;
    };
    let (events, period, change) = if new > prev {
        (
            &mut rt.scale_up,
            longest_period(b.and_then(|b| b.scale_up.as_ref())),
            new - prev,
        )
    } else {
        (
            &mut rt.scale_down,
            longest_period(b.and_then(|b| b.scale_down.as_ref())),
            prev - new,
        )
    };
    let cutoff = now.plus(-i64::from(period) * SECOND);
    for e in events.iter_mut() {
        if e.at < cutoff {
            e.outdated = true;
        }
    }
    let ev = ScaleEvent {
        change,
        at: now,
        outdated: false,
    };
    match events.iter().rposition(|e| e.outdated) {
        Some(i) => events[i] = ev,
        None => events.push(ev),
    }
}

/// normalizeDesiredReplicasWithBehaviors: both stabilization windows, then
/// the policies' rate limits.
#[allow(clippy::too_many_arguments)]
fn normalize_with_behavior(
    c: &mut Cluster,
    k: &ObjKey,
    st: &mut HorizontalPodAutoscalerStatus,
    b: &HorizontalPodAutoscalerBehavior,
    current: i32,
    proposed: i32,
    min: i32,
    max: i32,
    now: Time,
) -> i32 {
    let up = b.scale_up.clone().unwrap_or_else(default_scale_up_rules);
    let down = b
        .scale_down
        .clone()
        .unwrap_or_else(default_scale_down_rules);
    let up_window = i64::from(up.stabilization_window_seconds.unwrap_or(0)) * SECOND;
    let down_window = down
        .stabilization_window_seconds
        .map_or(DOWNSCALE_STABILIZATION, |s| i64::from(s) * SECOND);
    let Some(rt) = c.hpa_rt.get_mut(k) else {
        return current;
    };
    let (up_cut, down_cut) = (now.plus(-up_window), now.plus(-down_window));
    let (mut up_rec, mut down_rec) = (proposed, proposed);
    let mut old = None;
    for (i, (r, at)) in rt.recommendations.iter().enumerate() {
        if *at > up_cut {
            up_rec = up_rec.min(*r);
        }
        if *at > down_cut {
            down_rec = down_rec.max(*r);
        }
        if *at < up_cut && *at < down_cut {
            old = Some(i);
        }
    }
    let stabilized = current.max(up_rec).min(down_rec);
    match old {
        Some(i) => rt.recommendations[i] = (proposed, now),
        None => rt.recommendations.push((proposed, now)),
    }
    if stabilized != proposed {
        if proposed >= current {
            set_condition(st, "AbleToScale", "True", "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation", now);
        } else {
            set_condition(st, "AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation", now);
        }
    } else {
        set_condition(
            st,
            "AbleToScale",
            "True",
            "ReadyForNewScale",
            "recommended size matches current size",
            now,
        );
    }
    let policies = |r: &HpaScalingRules| r.policies.clone().unwrap_or_default();
    let select = |r: &HpaScalingRules| r.select_policy.clone().unwrap_or_else(|| "Max".into());
    let mut result = (
        stabilized,
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    );
    if stabilized > current {
        let limit = if select(&up) == "Disabled" {
            current
        } else {
            let min_change = select(&up) == "Min";
            let mut lim = if min_change { i32::MAX } else { i32::MIN };
            for p in policies(&up) {
                let start = current - changes_in(&rt.scale_up, p.period_seconds, now)
                    + changes_in(&rt.scale_down, p.period_seconds, now);
                let proposed = if p.type_ == "Pods" {
                    start + p.value
                } else {
                    (f64::from(start) * (1.0 + f64::from(p.value) / 100.0)).ceil() as i32
                };
                lim = if min_change {
                    lim.min(proposed)
                } else {
                    lim.max(proposed)
                };
            }
            lim
        }
        .max(current);
        let (allowed, reason, message) = if max > limit {
            (
                limit,
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate",
            )
        } else {
            (
                max,
                "TooManyReplicas",
                "the desired replica count is more than the maximum replica count",
            )
        };
        if stabilized > allowed {
            result = (allowed, reason, message);
        }
    } else if stabilized < current {
        let limit = if select(&down) == "Disabled" {
            current
        } else {
            let min_change = select(&down) == "Min";
            let mut lim = if min_change { i32::MIN } else { i32::MAX };
            for p in policies(&down) {
                let start = current - changes_in(&rt.scale_up, p.period_seconds, now)
                    + changes_in(&rt.scale_down, p.period_seconds, now);
                let proposed = if p.type_ == "Pods" {
                    start - p.value
                } else {
                    (f64::from(start) * (1.0 - f64::from(p.value) / 100.0)) as i32
                };
                lim = if min_change {
                    lim.max(proposed)
                } else {
                    lim.min(proposed)
                };
            }
            lim
        }
        .min(current);
        let (allowed, reason, message) = if min < limit {
            (
                limit,
                "ScaleDownLimit",
                "the desired replica count is decreasing faster than the maximum scale rate",
            )
        } else {
            (
                min,
                "TooFewReplicas",
                "the desired replica count is less than the minimum replica count",
            )
        };
        if stabilized < allowed {
            result = (allowed, reason, message);
        }
    }
    let limited = if result.0 == stabilized {
        "False"
    } else {
        "True"
    };
    set_condition(st, "ScalingLimited", limited, result.1, result.2, now);
    result.0
}
