//! The "which workload?" chooser: the guide's decision tree (chapter 2.2)
//! as questions and answers, ending in an outcome with the reason, the
//! guide's principles behind it (chapter 8), a manifest ready to apply and
//! the lesson to continue with.
//!
//! The questions come in the order of the principles: how long it runs
//! (principle 3), where it runs (principle 2), its state (principle 1) and
//! its network identity (principle 4). The guide's printed tree asks
//! "on every node?" last, after "persistent data?" and "fixed identity?";
//! read literally, a log collector, which keeps no data of its own, would
//! end at Deployment, against the guide's own chapter 5. Here it is asked
//! right after "long-running?".

use crate::lessons::Text;

pub struct Question {
    pub id: &'static str,
    pub text: Text,
    pub answers: &'static [Answer],
}

pub struct Answer {
    pub text: Text,
    pub next: Next,
}

/// Where an answer leads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Next {
    /// Another question, by id.
    Ask(&'static str),
    /// An outcome, by id.
    Result(&'static str),
}

pub struct Outcome {
    pub id: &'static str,
    /// Deployment, StatefulSet, DaemonSet, Job or CronJob.
    pub kind: &'static str,
    pub why: Text,
    /// The guide's principle(s) behind it.
    pub principle: Text,
    /// A ready-to-apply manifest for the answer (with a headless Service for
    /// a StatefulSet).
    pub yaml: &'static str,
    /// The lesson to continue with.
    pub lesson: &'static str,
}

use crate::lessons::t;

pub fn start() -> &'static Question {
    &QUESTIONS[0]
}

pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

pub fn outcome(id: &str) -> Option<&'static Outcome> {
    OUTCOMES.iter().find(|o| o.id == id)
}

/// Every outcome, in the order of the guide's chapters.
pub fn outcomes() -> &'static [Outcome] {
    OUTCOMES
}

/// The guide's five principles for choosing a workload (chapter 8).
pub fn principles() -> &'static [Text] {
    PRINCIPLES
}

static QUESTIONS: &[Question] = &[
    Question {
        id: "long-running",
        text: t(
            "Does it need to keep running?",
            "需要长期运行吗？",
        ),
        answers: &[
            Answer {
                text: t(
                    "Yes: it serves all the time (an API, a database, an agent)",
                    "是：它一直在提供服务（API、数据库、Agent）",
                ),
                next: Next::Ask("every-node"),
            },
            Answer {
                text: t(
                    "No: it runs, finishes and exits",
                    "否：跑完就退出",
                ),
                next: Next::Ask("when"),
            },
        ],
    },
    Question {
        id: "when",
        text: t(
            "Does it run once, or on a schedule?",
            "只跑一次，还是定时执行？",
        ),
        answers: &[
            Answer {
                text: t(
                    "Once: a data migration, an import, a batch run",
                    "只跑一次：数据迁移、数据导入、批处理",
                ),
                next: Next::Result("job"),
            },
            Answer {
                text: t(
                    "On a schedule: every day at 3:00, every 5 minutes",
                    "定时执行：每天 3:00、每 5 分钟",
                ),
                next: Next::Result("cronjob"),
            },
        ],
    },
    Question {
        id: "every-node",
        text: t(
            "Must it run on every node, one per node, including nodes that join later?",
            "每个节点都要运行一个吗？（新节点加入也要自动部署）",
        ),
        answers: &[
            Answer {
                text: t(
                    "Yes: a log collector, a monitoring agent, a network plugin",
                    "是：日志采集、监控 Agent、网络插件",
                ),
                next: Next::Result("daemonset"),
            },
            Answer {
                text: t("No", "否"),
                next: Next::Ask("persistent"),
            },
        ],
    },
    Question {
        id: "persistent",
        text: t(
            "Does it need to persist data? When a pod restarts, may its data be lost?",
            "需要持久化数据吗？Pod 重启后，数据能丢吗？",
        ),
        answers: &[
            Answer {
                text: t(
                    "It may be lost: the state lives elsewhere (a database, a cache, object storage)",
                    "能丢：状态都保存在外部（数据库、缓存、对象存储）",
                ),
                next: Next::Result("deployment"),
            },
            Answer {
                text: t(
                    "It must not be lost",
                    "不能丢",
                ),
                next: Next::Ask("identity"),
            },
        ],
    },
    Question {
        id: "identity",
        text: t(
            "Does each instance need a fixed network identity (a fixed name and DNS record, as a primary and its replicas do)?",
            "需要固定网络标识吗？（固定的名称和 DNS 记录，比如主从复制）",
        ),
        answers: &[
            Answer {
                text: t(
                    "No: a single instance; a restart with a new name is fine",
                    "否：单个实例，可以接受随机重启",
                ),
                next: Next::Result("deployment-pv"),
            },
            Answer {
                text: t(
                    "Yes: a database, a cache, a message queue",
                    "是：数据库、缓存、消息队列",
                ),
                next: Next::Result("statefulset"),
            },
        ],
    },
];

static OUTCOMES: &[Outcome] = &[
    Outcome {
        id: "deployment",
        kind: "Deployment",
        why: t(
            "Stateless: every pod is the same, any pod can serve any request, and pods can be deleted and recreated at will. Kubernetes keeps the replica count, rolls out a new version with no downtime and scales with one command. This is the answer for about 90% of services: APIs, web front ends, proxies and gateways.",
            "无状态：所有 Pod 都是一样的，任何一个都能处理请求，可以随意删除、重建。K8s 自动维护副本数，滚动更新零停机，扩缩容一条命令搞定。90% 的服务都适合它：API、Web 前端、代理、API 网关。",
        ),
        principle: t(
            "Principle 1: stateless → Deployment. Principle 4: load balancing → Deployment + Service. Principle 5: when unsure, start with a Deployment.",
            "原则 1：无状态应用 → Deployment。原则 4：负载均衡 → Deployment + Service。原则 5：不确定时，先用 Deployment。",
        ),
        yaml: DEPLOYMENT_YAML,
        lesson: "deployment",
    },
    Outcome {
        id: "deployment-pv",
        kind: "Deployment",
        why: t(
            "One instance whose data must survive restarts, but that needs no fixed identity: a Deployment with 1 replica and a PersistentVolumeClaim. The claim outlives the pod, so the next pod finds the data again. Keep it at one replica: several pods writing to one volume would corrupt the data (and a ReadWriteOnce volume attaches to one node only), hence the Recreate strategy, which stops the old pod before starting the new one. Good for development; in production, and as soon as you need more than one replica, use a StatefulSet.",
            "单个实例，数据不能丢，但不需要固定标识：Deployment（1 个副本）+ PVC。PVC 比 Pod 活得久，新 Pod 起来后还能找到原来的数据。只能用 1 个副本：多个 Pod 写同一个卷会数据冲突（ReadWriteOnce 的卷也只能挂到一个节点上），所以用 Recreate 策略，先停旧 Pod 再启新 Pod。开发环境可以这样用；生产环境、或者需要多副本时，请用 StatefulSet。",
        ),
        principle: t(
            "Principle 1: when the pod restarts, may its data be lost? No → persistent storage. Guide 7.3: Deployment + PV is for a single replica in development; production needs a StatefulSet.",
            "原则 1：Pod 重启后，数据能丢吗？不能丢 → 需要持久化存储。指南 7.3：Deployment + PV 适合开发环境（单副本），生产环境必须用 StatefulSet。",
        ),
        yaml: DEPLOYMENT_PV_YAML,
        lesson: "statefulset-redis",
    },
    Outcome {
        id: "statefulset",
        kind: "StatefulSet",
        why: t(
            "Every pod is unique: fixed names (redis-0, redis-1, redis-2), a fixed DNS name each through a headless Service (redis-0.redis-service), its own PersistentVolumeClaim from volumeClaimTemplates that stays when the pod is deleted, ordered start (0→1→2) and ordered stop (2→1→0). For databases, caches, message queues and distributed storage.",
            "每个 Pod 都是独特的：固定的名称（redis-0、redis-1、redis-2），通过 Headless Service 得到固定的 DNS 记录（redis-0.redis-service），volumeClaimTemplates 为每个 Pod 创建独立的 PVC，Pod 删除后 PVC 还在；按序启动（0→1→2）、倒序停止（2→1→0）。适合数据库、缓存、消息队列、分布式存储。",
        ),
        principle: t(
            "Principle 1: stateful → StatefulSet. Principle 4: a fixed DNS name → StatefulSet + headless Service.",
            "原则 1：有状态应用 → StatefulSet。原则 4：需要固定 DNS → StatefulSet + Headless Service。",
        ),
        yaml: STATEFULSET_YAML,
        lesson: "statefulset-redis",
    },
    Outcome {
        id: "daemonset",
        kind: "DaemonSet",
        why: t(
            "One pod on every node, following the nodes: a node joins and gets its pod, a node leaves and its pod goes, with no replica count to maintain. A hostPath volume reads the node's own files (/var/log, /proc, /sys); a toleration lets it run on the control plane too; a nodeSelector limits it to some nodes.",
            "每个节点一个 Pod，跟随节点自动伸缩：新节点加入自动部署，节点下线 Pod 自动清理，不用维护副本数。用 hostPath 访问宿主机资源（/var/log、/proc、/sys），用 toleration 让它也跑在 control-plane 上，用 nodeSelector 限定节点。",
        ),
        principle: t(
            "Principle 2: on every node → DaemonSet; on specific nodes only → nodeSelector / nodeAffinity.",
            "原则 2：每个节点 → DaemonSet；特定节点 → nodeSelector / nodeAffinity。",
        ),
        yaml: DAEMONSET_YAML,
        lesson: "daemonset",
    },
    Outcome {
        id: "job",
        kind: "Job",
        why: t(
            "It runs to completion and exits. A failed run is retried (restartPolicy: OnFailure, up to backoffLimit), a lost pod is replaced, and the finished pod stays, Completed, with its logs.",
            "运行完就退出。失败自动重试（restartPolicy: OnFailure，最多 backoffLimit 次），Pod 丢了会重建，跑完后 Pod 保留为 Completed，可以查看日志。",
        ),
        principle: t(
            "Principle 3: a one-off task → Job.",
            "原则 3：一次性任务 → Job。",
        ),
        yaml: JOB_YAML,
        lesson: "job",
    },
    Outcome {
        id: "cronjob",
        kind: "CronJob",
        why: t(
            "It creates a Job on a cron schedule, inside the cluster: unlike a crontab on one server it survives server restarts, retries, keeps logs and a history of runs, and concurrencyPolicy decides what happens when a run is still going at the next time (Allow, Forbid, Replace).",
            "按 cron 表达式在集群里定时创建 Job：不像服务器上的 crontab，服务器重启不影响，失败会重试，有日志和执行历史；上次还没跑完时怎么办，由 concurrencyPolicy 决定（Allow、Forbid、Replace）。",
        ),
        principle: t(
            "Principle 3: a scheduled task → CronJob.",
            "原则 3：定时任务 → CronJob。",
        ),
        yaml: CRONJOB_YAML,
        lesson: "cronjob",
    },
];

static PRINCIPLES: &[Text] = &[
    t(
        "Think about the application's state first. Stateless → Deployment; stateful → StatefulSet. The test: when the pod restarts, may its data be lost? Yes → Deployment; no → StatefulSet.",
        "优先考虑应用的状态。无状态应用 → Deployment，有状态应用 → StatefulSet。判断标准：Pod 重启后，数据能丢吗？能丢 → Deployment，不能丢 → StatefulSet。",
    ),
    t(
        "Think about where it runs. Specific nodes → nodeSelector / nodeAffinity (a GPU training job: nodeSelector gpu=true); every node → DaemonSet (log collection).",
        "考虑部署位置。特定节点 → nodeSelector / nodeAffinity（GPU 训练任务：nodeSelector: gpu=true）；每个节点 → DaemonSet（日志采集）。",
    ),
    t(
        "Think about how long it runs. Long-running → Deployment / StatefulSet / DaemonSet; a one-off task → Job; a scheduled task → CronJob.",
        "考虑运行时长。长期运行 → Deployment / StatefulSet / DaemonSet；一次性任务 → Job；定时任务 → CronJob。",
    ),
    t(
        "Think about the network. A fixed DNS name → StatefulSet + headless Service; load balancing → Deployment + Service.",
        "考虑网络需求。需要固定 DNS → StatefulSet + Headless Service；负载均衡 → Deployment + Service。",
    ),
    t(
        "When unsure, start with a Deployment: 90% of applications are stateless. Then, if data gets lost → StatefulSet; if it is needed on every node → DaemonSet; if it runs on a schedule → CronJob.",
        "不确定时，先用 Deployment：90% 的应用都是无状态的！遇到问题再考虑：数据丢失？→ StatefulSet；需要每个节点？→ DaemonSet；定时执行？→ CronJob。",
    ),
];

const DEPLOYMENT_YAML: &str = "# A stateless web service: a Deployment behind a Service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
";

const DEPLOYMENT_PV_YAML: &str = "# One instance with its data on a PersistentVolumeClaim
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: cache-data
spec:
  accessModes: [ \"ReadWriteOnce\" ]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  replicas: 1  # one writer: never share the volume between pods
  strategy:
    type: Recreate  # stop the old pod before the new one mounts the volume
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
      - name: redis
        image: redis:7.4
        volumeMounts:
        - name: data
          mountPath: /data
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: cache-data
";

const STATEFULSET_YAML: &str = "# Guide 7.2: Redis on a StatefulSet with a headless Service
apiVersion: v1
kind: Service
metadata:
  name: redis-service
spec:
  clusterIP: None  # Headless Service
  selector:
    app: redis
  ports:
  - port: 6379
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  serviceName: redis-service
  replicas: 3
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
      - name: redis
        image: redis:7.4
        ports:
        - containerPort: 6379
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ \"ReadWriteOnce\" ]
      resources:
        requests:
          storage: 1Gi
";

const DAEMONSET_YAML: &str =
    "# Guide 5.2: a log collector on every node, the control plane included
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-collector
spec:
  selector:
    matchLabels:
      app: log-collector
  template:
    metadata:
      labels:
        app: log-collector
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: collector
        image: log-collector:v1.0
        volumeMounts:
        - name: varlog
          mountPath: /var/log
          readOnly: true
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
";

const JOB_YAML: &str = "# Guide 6.3: a one-off import
apiVersion: batch/v1
kind: Job
metadata:
  name: data-import
spec:
  backoffLimit: 4
  template:
    spec:
      containers:
      - name: importer
        image: data-importer:v1.0
        command: [\"python\", \"import.py\"]
      restartPolicy: OnFailure  # retry on failure
";

const CRONJOB_YAML: &str = "# Guide 6.3: clean up expired Redis keys every day at 03:00
apiVersion: batch/v1
kind: CronJob
metadata:
  name: redis-cleanup
spec:
  schedule: \"0 3 * * *\"
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 1
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: cleanup
            image: redis-cleanup:v1.0
            command: [\"sh\", \"-c\", \"echo removing expired keys; sleep 45; echo done\"]
            env:
            - name: REDIS_HOST
              value: \"redis-service:6379\"
          restartPolicy: OnFailure
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{self, Lang};
    use kubeplay_core::api::{CronJob, Job, Pod};
    use kubeplay_core::vecmap::VecSet;
    use kubeplay_kubectl::Console;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
    }

    /// Every outcome reachable from a question, failing on a dangling id or
    /// a cycle.
    fn walk(
        q: &'static Question,
        path: &mut Vec<&'static str>,
        seen: &mut VecSet<&'static str>,
        ends: &mut VecSet<&'static str>,
    ) {
        assert!(!path.contains(&q.id), "cycle: {path:?} -> {}", q.id);
        assert!(q.answers.len() >= 2, "{}: fewer than 2 answers", q.id);
        path.push(q.id);
        seen.insert(q.id);
        for a in q.answers {
            match a.next {
                Next::Ask(id) => {
                    let next = question(id).unwrap_or_else(|| panic!("{}: no question {id}", q.id));
                    walk(next, path, seen, ends);
                }
                Next::Result(id) => {
                    assert!(outcome(id).is_some(), "{}: no outcome {id}", q.id);
                    ends.insert(id);
                }
            }
        }
        path.pop();
    }

    #[test]
    fn chooser_every_path_ends_in_an_outcome() {
        let mut seen = VecSet::new();
        let mut ends = VecSet::new();
        walk(start(), &mut vec![], &mut seen, &mut ends);
        // every question and every outcome is reachable, and ids are unique
        assert_eq!(seen.len(), QUESTIONS.len());
        assert_eq!(ends.len(), OUTCOMES.len());
        for o in outcomes() {
            assert!(std::ptr::eq(outcome(o.id).unwrap(), o));
        }
        assert!(question("nope").is_none() && outcome("nope").is_none());
        let kinds: VecSet<&str> = outcomes().iter().map(|o| o.kind).collect();
        assert_eq!(
            kinds,
            ["CronJob", "DaemonSet", "Deployment", "Job", "StatefulSet"]
                .into_iter()
                .collect()
        );
    }

    #[test]
    fn chooser_follows_the_guide() {
        // answer by answer text -> outcome
        fn choose(answers: &[usize]) -> &'static str {
            let mut q = start();
            for &i in answers {
                match q.answers[i].next {
                    Next::Ask(id) => q = question(id).unwrap(),
                    Next::Result(id) => return outcome(id).unwrap().kind,
                }
            }
            panic!("no outcome after {answers:?}");
        }
        assert_eq!(choose(&[1, 0]), "Job");
        assert_eq!(choose(&[1, 1]), "CronJob");
        assert_eq!(choose(&[0, 0]), "DaemonSet");
        assert_eq!(choose(&[0, 1, 0]), "Deployment");
        assert_eq!(choose(&[0, 1, 1, 0]), "Deployment");
        assert_eq!(choose(&[0, 1, 1, 1]), "StatefulSet");
    }

    #[test]
    fn chooser_texts_are_in_both_languages() {
        let mut texts: Vec<Text> = principles().to_vec();
        for q in QUESTIONS {
            texts.push(q.text);
            texts.extend(q.answers.iter().map(|a| a.text));
        }
        for o in outcomes() {
            texts.push(o.why);
            texts.push(o.principle);
        }
        for tx in texts {
            assert!(!tx.en.trim().is_empty() && !has_cjk(tx.en), "{}", tx.en);
            assert!(has_cjk(tx.zh), "{}", tx.zh);
            assert_eq!(tx.get(Lang::Zh), tx.zh);
        }
        assert_eq!(principles().len(), 5);
    }

    #[test]
    fn chooser_outcomes_lead_to_lessons() {
        for o in outcomes() {
            assert!(
                lessons::find(o.lesson).is_some(),
                "{}: no lesson {}",
                o.id,
                o.lesson
            );
        }
    }

    #[test]
    fn chooser_outcome_manifests_run() {
        for o in outcomes() {
            let mut con = Console::new(1);
            let out = con.exec("kubectl apply -f -", Some(o.yaml));
            assert!(out.ok, "{}: apply failed:\n{}", o.id, out.text);
            let out = con.exec("sim advance 2m", None);
            assert!(out.ok, "{}: {}", o.id, out.text);
            let listed = con.exec(
                &format!("kubectl get {} -o name", o.kind.to_ascii_lowercase()),
                None,
            );
            assert!(
                listed.ok && listed.text.lines().count() >= 1,
                "{}: no {} after apply:\n{}",
                o.id,
                o.kind,
                listed.text
            );
            let c = &con.cluster;
            match o.kind {
                "Job" => {
                    assert!(
                        c.store.list::<Job>().all(|j| j
                            .status
                            .conditions
                            .iter()
                            .any(|k| k.type_ == "Complete" && k.status == "True")),
                        "{}: the Job is not Complete",
                        o.id
                    );
                }
                "CronJob" => {
                    assert_eq!(c.store.list::<CronJob>().count(), 1, "{}", o.id);
                    // and it runs at its time
                    let out = con.exec("sim advance-to 03:00", None);
                    assert!(out.ok, "{}: {}", o.id, out.text);
                    let out = con.exec("sim advance 2m", None);
                    assert!(out.ok, "{}: {}", o.id, out.text);
                    let done = con.cluster.store.list::<Job>().any(|j| {
                        j.status
                            .conditions
                            .iter()
                            .any(|k| k.type_ == "Complete" && k.status == "True")
                    });
                    assert!(done, "{}: no Job ran at 03:00", o.id);
                }
                _ => {
                    let pods: Vec<&Pod> = c.store.list::<Pod>().collect();
                    assert!(!pods.is_empty(), "{}: no pods", o.id);
                    for p in pods {
                        assert!(
                            p.phase() == "Running" && p.is_ready(),
                            "{}: pod {} is {}",
                            o.id,
                            p.metadata.name,
                            p.phase()
                        );
                    }
                }
            }
        }
    }
}
