//! Built-in lessons. Each follows a chapter of the guide (a Chinese guide to
//! Deployment, StatefulSet, DaemonSet, Job and CronJob): the manifests the
//! editor starts with, and short steps, each with the command that does it
//! and a check on the cluster that tells when it is done. Texts are in
//! English and Chinese.
//!
//! Checks look only at the cluster, and are written so that a step stays
//! done while the learner goes on with the next ones (state that lasts,
//! such as claims, conditions and revisions, rather than events, which
//! expire after an hour).

use kubeplay_core::api::{
    CronJob, Deployment, Job, Node, ObjectMeta, PersistentVolumeClaim, Pod, ReplicaSet, StatefulSet,
};
use kubeplay_core::volumes::{self, VolumeId};
use kubeplay_core::Cluster;

/// The language of the interface and of the lessons.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The BCP 47 code: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `zh`, `zh-CN`, `zh-Hans`... are Chinese; anything else is English.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

pub(crate) const fn t(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

pub struct Step {
    pub text: Text,
    /// A command the learner can click to run (exactly as typed in the
    /// console), or None when the step is a UI action or an edit.
    pub command: Option<&'static str>,
    /// Virtual time the "do it" button advances after the command, as a Go
    /// duration ("30s", "1m"); "" for none.
    pub wait: &'static str,
    /// True once the learner has done this step.
    pub check: fn(&Cluster) -> bool,
}

pub struct Lesson {
    pub id: &'static str,
    /// The guide's chapter, e.g. "3" or "4, 7".
    pub chapter: &'static str,
    pub title: Text,
    pub intro: Text,
    /// The manifests the editor starts with (multi-document YAML).
    pub yaml: &'static str,
    /// Console commands run when the lesson is opened (one per line), usually "".
    pub setup: &'static str,
    pub steps: &'static [Step],
}

pub fn all() -> &'static [Lesson] {
    LESSONS
}

pub fn find(id: &str) -> Option<&'static Lesson> {
    all().iter().find(|l| l.id == id)
}

static LESSONS: &[Lesson] = &[
    Lesson {
        id: "deployment",
        chapter: "3",
        title: t(
            "Deployment: the king of stateless apps",
            "Deployment：无状态应用之王",
        ),
        intro: t(
            "Stateless means every pod is the same: any api-server pod can serve any request, and a pod can be deleted and recreated at will, because the state lives elsewhere (a database, a cache). Declare 3 replicas and Kubernetes keeps 3 running, rolls a new image out with no downtime, rolls it back, and scales with one command.",
            "无状态 = 所有 Pod 都是“一样的”：任何一个 api-server Pod 都能处理请求，Pod 可以随意删除、重建，因为状态都保存在外部（数据库、缓存）。声明 3 个副本，K8s 就始终维护 3 个；换镜像时滚动更新、零停机，出了问题一键回滚；扩缩容一条命令搞定。",
        ),
        yaml: DEPLOYMENT_YAML,
        setup: "",
        steps: &[
            Step {
                text: t(
                    "Apply the manifest, then watch the 3 pods start: ContainerCreating, then Running with READY 1/1 once the readiness probe passes (it waits 5 seconds first). Their names are random: api-server-<hash>-<suffix>.",
                    "应用 YAML，然后看 3 个 Pod 启动：先是 ContainerCreating，就绪探针通过后（先等 5 秒）变成 Running、READY 1/1。名字是随机的：api-server-<hash>-<后缀>。",
                ),
                command: Some("kubectl get pods"),
                wait: "30s",
                check: dep_three_running,
            },
            Step {
                text: t(
                    "Delete one pod. The ReplicaSet sees only 2 left and creates a replacement at once, with a new name: Kubernetes keeps 3 replicas, whatever happens to a pod.",
                    "删掉一个 Pod。ReplicaSet 发现只剩 2 个，立即创建一个新的顶上（名字也是新的）——不管 Pod 出了什么事，K8s 都自动保证 3 个副本！",
                ),
                command: Some("kubectl delete pod $(kubectl get pods -l app=api-server -o jsonpath={.items[0].metadata.name})"),
                wait: "30s",
                check: dep_self_healed,
            },
            Step {
                text: t(
                    "Update the image to v1.1. With maxSurge 1 and maxUnavailable 1 the rollout goes a pod at a time: a new v1.1 pod is created, an old v1.0 pod is removed, and so on. kubectl get rs shows the old ReplicaSet shrinking while the new one grows.",
                    "把镜像更新到 v1.1。maxSurge: 1、maxUnavailable: 1：先创建 1 个 v1.1 Pod，再删除 1 个 v1.0 Pod，依此类推。用 kubectl get rs 能看到旧 ReplicaSet 在缩、新 ReplicaSet 在涨。",
                ),
                command: Some("kubectl set image deployment/api-server api=cloudnative-go-api:v1.1"),
                wait: "",
                check: dep_updated,
            },
            Step {
                text: t(
                    "Follow the rollout until it prints successfully rolled out: all 3 pods run v1.1, and at every moment some pods were serving. Users notice nothing.",
                    "跟着 rollout 直到输出 successfully rolled out：3 个 Pod 都换成了 v1.1，整个过程始终有 Pod 在服务，用户无感知。",
                ),
                command: Some("kubectl rollout status deployment/api-server"),
                wait: "",
                check: dep_rolled_out,
            },
            Step {
                text: t(
                    "Scale out to 5 replicas: two more pods, spread over the nodes. Scaling in is just as easy (--replicas=1).",
                    "扩容到 5 个副本：多出 2 个 Pod，分散到各个节点。缩容也一样简单（--replicas=1）。",
                ),
                command: Some("kubectl scale deployment api-server --replicas=5"),
                wait: "30s",
                check: dep_scaled,
            },
            Step {
                text: t(
                    "Found a problem in v1.1? Roll back: the v1.0 ReplicaSet scales up again and the pods roll back to v1.0, the same way, a few at a time. kubectl rollout history deployment/api-server lists the revisions.",
                    "发现 v1.1 有问题？随时回滚：v1.0 的 ReplicaSet 重新扩容，Pod 以同样的滚动方式换回 v1.0。kubectl rollout history deployment/api-server 可以查看版本记录。",
                ),
                command: Some("kubectl rollout undo deployment/api-server"),
                wait: "1m",
                check: dep_rolled_back,
            },
        ],
    },
    Lesson {
        id: "statefulset-redis",
        chapter: "4, 7",
        title: t(
            "StatefulSet: Redis, the right way",
            "StatefulSet：部署 Redis 的正确姿势",
        ),
        intro: t(
            "Redis keeps data. On a Deployment with an emptyDir, the data goes when the pod goes, and the new pod has a new random name. A StatefulSet gives each pod a fixed name (redis-0, redis-1, redis-2), a fixed DNS name through a headless Service (redis-0.redis-service), and its own PersistentVolumeClaim that outlives the pod. The editor holds both ways, each called redis: the Deployment (guide 7.1) and the StatefulSet with its headless Service (guide 4.2 and 7.2).",
            "Redis 需要持久化数据。用 Deployment + emptyDir 部署，Pod 一删数据就没了，新 Pod 的名字也是随机的。StatefulSet 给每个 Pod 固定的名称（redis-0、redis-1、redis-2）、通过 Headless Service 得到的固定网络标识（redis-0.redis-service），以及独立的 PVC，Pod 删了 PVC 还在。编辑器里两种方式都有，名字都叫 redis：Deployment（7.1）和带 Headless Service 的 StatefulSet（4.2、7.2）。",
        ),
        yaml: REDIS_YAML,
        setup: "",
        steps: &[
            Step {
                text: t(
                    "Apply both. The Deployment's pod gets a random name (redis-<hash>-<suffix>). The StatefulSet creates redis-0 first, then redis-1 only once redis-0 is Running and Ready, then redis-2; each gets its own claim, data-redis-0, data-redis-1, data-redis-2, Bound to its own volume.",
                    "两个都应用。Deployment 的 Pod 名字是随机的（redis-<hash>-<后缀>）。StatefulSet 先创建 redis-0，等它 Running 且 Ready 后才创建 redis-1，然后是 redis-2（顺序启动 0→1→2）；每个 Pod 都有自己的 PVC：data-redis-0、data-redis-1、data-redis-2，各自 Bound 到独立的卷。",
                ),
                command: Some("kubectl get pods,pvc"),
                wait: "30s",
                check: redis_all_running,
            },
            Step {
                text: t(
                    "Write a key into the Deployment's Redis. It answers OK and saves it under /data, which here is an emptyDir, a scratch directory that belongs to the pod.",
                    "往 Deployment 的 Redis 写入一个键，返回 OK。数据保存在 /data 下，而这里的 /data 是 emptyDir，属于这个 Pod 的临时目录。",
                ),
                command: Some("kubectl exec -it deploy/redis -- redis-cli SET greeting hello"),
                wait: "",
                check: redis_deploy_written,
            },
            Step {
                text: t(
                    "Delete its pod, as a restart would. A new pod takes its place, with a new name and a new, empty emptyDir. Now kubectl exec -it deploy/redis -- redis-cli GET greeting prints (nil): the data is gone!",
                    "删除这个 Pod（模拟重启）。新 Pod 顶上来，名字变了，emptyDir 也是全新的、空的。再执行 kubectl exec -it deploy/redis -- redis-cli GET greeting，返回 (nil)——数据丢了！",
                ),
                command: Some("kubectl delete pod -l app=redis-emptydir"),
                wait: "10s",
                check: redis_deploy_lost,
            },
            Step {
                text: t(
                    "Now the StatefulSet: write the same key into redis-0. It lands on redis-0's own volume, the one bound to data-redis-0.",
                    "再看 StatefulSet：往 redis-0 写入同一个键。数据落在 redis-0 自己的卷上，也就是 data-redis-0 绑定的那个卷。",
                ),
                command: Some("kubectl exec -it redis-0 -- redis-cli SET greeting hello"),
                wait: "",
                check: redis_sts_written,
            },
            Step {
                text: t(
                    "Delete redis-0. It comes back with the same name, redis-0, and mounts the same claim, data-redis-0, so kubectl exec -it redis-0 -- redis-cli GET greeting still prints \"hello\": the data is still there!",
                    "删除 redis-0。重建后名字还是 redis-0，挂载的还是 data-redis-0，所以 kubectl exec -it redis-0 -- redis-cli GET greeting 仍然返回 \"hello\"——数据还在！",
                ),
                command: Some("kubectl delete pod redis-0"),
                wait: "10s",
                check: redis_sts_kept,
            },
            Step {
                text: t(
                    "Scale down to 1: redis-2 stops first, then redis-1 (reverse order, 2→1). kubectl get pvc still lists data-redis-1 and data-redis-2: claims are not deleted with their pods, so scaling up again gives redis-1 and redis-2 their data back.",
                    "缩容到 1 个：先停 redis-2，再停 redis-1（倒序 2→1）。kubectl get pvc 里 data-redis-1、data-redis-2 都还在：PVC 不随 Pod 删除，再扩容时 redis-1、redis-2 会重新绑定原来的数据。",
                ),
                command: Some("kubectl scale sts redis --replicas=1"),
                wait: "30s",
                check: redis_scaled_down,
            },
        ],
    },
    Lesson {
        id: "daemonset",
        chapter: "5",
        title: t("DaemonSet: one on every node", "DaemonSet：每个节点都要有"),
        intro: t(
            "A log collector must run once on every node, including nodes that join later. A Deployment with replicas: 3 cannot promise that: you would edit replicas by hand, and it may put all 3 on one node. The editor holds the guide's log-collector DaemonSet (it reads the node's /var/log through a hostPath and tolerates the control-plane taint), a node-exporter DaemonSet limited by nodeSelector role: worker, and a small web Deployment, to see what drain does.",
            "日志采集器必须在每个节点上跑一个，新节点加入也要自动部署。Deployment 的 replicas: 3 做不到：集群扩容要手动改副本数，而且它可能把 3 个 Pod 都调度到同一个节点。编辑器里有指南中的 log-collector DaemonSet（通过 hostPath 读取宿主机的 /var/log，并容忍 control-plane 的污点），一个用 nodeSelector role: worker 限定节点的 node-exporter DaemonSet，还有一个小的 web Deployment，用来观察 drain 的效果。",
        ),
        yaml: DAEMONSET_YAML,
        setup: "",
        steps: &[
            Step {
                text: t(
                    "Apply, then look at where the pods run: one log-collector pod on each node, the control plane included thanks to the toleration. node-exporter has none yet: no node has the label role=worker.",
                    "应用后看看 Pod 都在哪：每个节点都有一个 log-collector Pod，因为加了 toleration，control-plane 上也有。node-exporter 一个都没有：还没有节点带 role=worker 标签。",
                ),
                command: Some("kubectl get pods -o wide"),
                wait: "30s",
                check: ds_on_every_node,
            },
            Step {
                text: t(
                    "The cluster grows: node-4 joins. The DaemonSet creates a log-collector pod on it by itself; there is no replica count to change.",
                    "集群扩容：新节点 node-4 加入。DaemonSet 自动在 node-4 上创建 log-collector Pod，不用改任何副本数。太智能了！",
                ),
                command: Some("sim node add node-4"),
                wait: "30s",
                check: ds_on_new_node,
            },
            Step {
                text: t(
                    "Take node-2 down for maintenance. drain cordons it (SchedulingDisabled) and evicts its pods: the web pod is recreated on another node (--delete-emptydir-data allows evicting a pod with an emptyDir). DaemonSet pods are left where they are (--ignore-daemonsets), since the DaemonSet would only put them back. Only when a node leaves for good (sim node remove node-2) does its DaemonSet pod go with it.",
                    "node-2 要下线维护。drain 先把它标记为不可调度（SchedulingDisabled），再驱逐上面的 Pod：web Pod 会在别的节点重建（--delete-emptydir-data 允许驱逐带 emptyDir 的 Pod）。DaemonSet 的 Pod 会被跳过（--ignore-daemonsets），因为删了 DaemonSet 也会马上补回来。只有节点真正离开集群时（sim node remove node-2），它上面的 DaemonSet Pod 才会一起被清理。",
                ),
                command: Some("kubectl drain node-2 --ignore-daemonsets --delete-emptydir-data"),
                wait: "30s",
                check: ds_drained,
            },
            Step {
                text: t(
                    "Maintenance done: uncordon makes node-2 schedulable again. Pods that moved away stay where they are; new pods can land on node-2 again.",
                    "维护结束：uncordon 让 node-2 重新可调度。已经迁走的 Pod 不会自动回来，但新的 Pod 又可以调度到 node-2 上了。",
                ),
                command: Some("kubectl uncordon node-2"),
                wait: "",
                check: ds_uncordoned,
            },
            Step {
                text: t(
                    "node-exporter has nodeSelector role: worker. Label node-1 and node-2 and it runs on exactly those two nodes. Removing the label (kubectl label node node-2 role-) removes the pod again.",
                    "node-exporter 带着 nodeSelector role: worker。给 node-1 和 node-2 打上标签，它就只在这两个节点上运行。去掉标签（kubectl label node node-2 role-），Pod 也随之删除。",
                ),
                command: Some("kubectl label node node-1 node-2 role=worker"),
                wait: "30s",
                check: ds_selected,
            },
        ],
    },
    Lesson {
        id: "job",
        chapter: "6.1, 6.2",
        title: t("Job: run it until it is done", "Job：跑完就结束的一次性任务"),
        intro: t(
            "Why not a crontab on a server? If the server restarts the task may never run, a failed task is not retried, and there are no logs. A Job runs a task in the cluster until it succeeds, retries it when it fails, and keeps its pod and logs when it is done. The editor holds the guide's data-import Job (here it prints its progress and takes about 30 seconds) and broken-import, an import whose database is unreachable, with backoffLimit: 4.",
            "为什么不用服务器上的 crontab？服务器重启后任务可能根本没执行，失败了没有重试，也没有日志。Job 在集群里把任务一直跑到成功，失败自动重试，跑完后 Pod 和日志都还留着。编辑器里有指南中的 data-import Job（这里让它打印进度、运行约 30 秒），还有一个连不上数据库的 broken-import，backoffLimit: 4。",
        ),
        yaml: JOB_YAML,
        setup: "",
        steps: &[
            Step {
                text: t(
                    "Apply. Each Job starts a pod (kubectl get jobs: COMPLETIONS 0/1). data-import is Running. broken-import's container exits with code 1, and restartPolicy: OnFailure restarts it in the same pod: RESTARTS goes up, with a growing back-off in between (CrashLoopBackOff).",
                    "应用。两个 Job 各启动一个 Pod（kubectl get jobs：COMPLETIONS 0/1）。data-import 正在 Running。broken-import 的容器以退出码 1 结束，restartPolicy: OnFailure 会在同一个 Pod 里重启容器：RESTARTS 不断增加，重试间隔越来越长（CrashLoopBackOff）。",
                ),
                command: Some("kubectl get pods"),
                wait: "15s",
                check: job_started,
            },
            Step {
                text: t(
                    "Why does it fail? Its logs say: error: database unreachable. With a crontab script you would not even know whether it ran.",
                    "为什么失败？看日志：error: database unreachable。换成 crontab 脚本，你连它有没有执行都不知道。",
                ),
                command: Some("kubectl logs job/broken-import"),
                wait: "",
                check: job_broken_retried,
            },
            Step {
                text: t(
                    "Kill data-import's pod in the middle of the import, as when its server goes down. The Job sees that its pod is gone and starts a new one, which runs to the end: COMPLETIONS 1/1, STATUS Complete.",
                    "在 data-import 导入到一半时删掉它的 Pod，就像服务器突然宕机。Job 发现 Pod 没了，立即新建一个，一直跑到结束：COMPLETIONS 1/1，STATUS Complete。",
                ),
                command: Some("kubectl delete pod -l job-name=data-import"),
                wait: "1m",
                check: job_completed_after_retry,
            },
            Step {
                text: t(
                    "Meanwhile broken-import has used up its retries: after backoffLimit (4) retries the Job gives up, STATUS Failed, reason BackoffLimitExceeded (kubectl describe job broken-import), and its pod is removed.",
                    "与此同时，broken-import 用完了重试次数：重试达到 backoffLimit（4 次）后 Job 放弃，STATUS 变成 Failed，原因是 BackoffLimitExceeded（见 kubectl describe job broken-import），它的 Pod 也被删除。",
                ),
                command: Some("kubectl get jobs"),
                wait: "",
                check: job_gave_up,
            },
            Step {
                text: t(
                    "A finished Job's pod is not deleted: it stays, STATUS Completed, so its logs can still be read.",
                    "Job 跑完后，Pod 不会自动删除：它留在那里，状态是 Completed，随时可以查看日志。",
                ),
                command: Some("kubectl logs job/data-import"),
                wait: "",
                check: job_logs_kept,
            },
        ],
    },
    Lesson {
        id: "cronjob",
        chapter: "6.3",
        title: t("CronJob: every day at 03:00", "CronJob：每天凌晨 3 点"),
        intro: t(
            "\"Clean up the expired Redis keys every day at 3 a.m.\" A CronJob creates a Job on a cron schedule, inside the cluster: minute, hour, day of month, month, day of week, so 0 3 * * * is 03:00 every day. The editor holds the guide's redis-cleanup CronJob, with its history limits and concurrencyPolicy: Forbid, and redis-backup, an hourly backup that has grown to take 90 minutes.",
            "产品：“每天凌晨 3 点清理 Redis 的过期键。”CronJob 按 cron 表达式在集群里定时创建 Job：分钟、小时、日、月、星期，所以 0 3 * * * 就是每天 3:00。编辑器里有指南中的 redis-cleanup（带历史记录限制和 concurrencyPolicy: Forbid），还有一个每小时执行一次、现在却要跑 90 分钟的 redis-backup。",
        ),
        yaml: CRONJOB_YAML,
        setup: "",
        steps: &[
            Step {
                text: t(
                    "Apply, then move the virtual clock to 03:00. At 03:00 the CronJob creates a Job, redis-cleanup-28928340 (the number is the scheduled time, in minutes since 1970), which runs for about 45 seconds. kubectl get cronjobs shows LAST SCHEDULE, kubectl get jobs shows the Job at 1/1.",
                    "应用，然后把虚拟时钟拨到 03:00。3:00 一到，CronJob 就创建一个 Job：redis-cleanup-28928340（数字是计划执行时间，自 1970 年起的分钟数），运行约 45 秒。kubectl get cronjobs 能看到 LAST SCHEDULE，kubectl get jobs 能看到这个 Job 已经 1/1。",
                ),
                command: Some("sim advance-to 03:00"),
                wait: "1m",
                check: cron_ran,
            },
            Step {
                text: t(
                    "See what the run did: every run's logs are kept with its pod, unlike a crontab's output.",
                    "看看这次执行做了什么：每次执行的日志都随 Pod 保留，不像 crontab 的输出不知去向。",
                ),
                command: Some("kubectl logs job/redis-cleanup-28928340"),
                wait: "",
                check: cron_logs,
            },
            Step {
                text: t(
                    "Three days later there have been four runs, but kubectl get jobs lists only three: successfulJobsHistoryLimit: 3 keeps the last 3 successful Jobs and deletes the oldest (failedJobsHistoryLimit: 1 keeps 1 failed one).",
                    "三天后一共执行了 4 次，但 kubectl get jobs 只列出 3 个：successfulJobsHistoryLimit: 3 只保留最近 3 个成功的 Job，最早的被删除（failedJobsHistoryLimit: 1 保留 1 个失败的）。",
                ),
                command: Some("sim advance 3d"),
                wait: "",
                check: cron_history_limited,
            },
            Step {
                text: t(
                    "redis-backup runs every hour but takes 90 minutes. With concurrencyPolicy: Forbid, when the next hour comes while a run is still going, no second run is started: the event JobAlreadyActive. With no startingDeadlineSeconds, the held-back run starts when the running one ends. Allow would run both at once; Replace would stop the old run and start the new one.",
                    "redis-backup 每小时执行一次，却要跑 90 分钟。设置了 concurrencyPolicy: Forbid，下一个整点到来时如果上次还没跑完，就不会再启动第二个：事件 JobAlreadyActive。因为没有设置 startingDeadlineSeconds，被推迟的这次会在上次结束后再执行。Allow 会让两次同时跑，Replace 会停掉旧的、启动新的。",
                ),
                command: Some("kubectl get events --field-selector involvedObject.name=redis-backup"),
                wait: "",
                check: cron_forbid_held_back,
            },
        ],
    },
    Lesson {
        id: "large-cluster",
        chapter: "3, 5",
        title: t(
            "A large cluster: 1,000 nodes",
            "大规模集群：1000 个节点",
        ),
        intro: t(
            "The same objects work at any size: a DaemonSet still means one pod per node, a Deployment still means N replicas wherever they fit. Here the cluster grows from 4 nodes to 1,000 in one command and a Deployment to 500 replicas. Past 12 nodes the cluster panel summarises: counts of nodes and pods, a filter, and compact tiles with a dot per pod for 50 nodes at a time; a tile opens into the full card. The editor holds a small node-agent DaemonSet and a web Deployment with modest requests.",
            "同样的对象在任何规模下都成立：DaemonSet 仍然是每个节点一个 Pod，Deployment 仍然是 N 个副本、放在放得下的地方。这里用一条命令把集群从 4 个节点扩到 1000 个，再把 Deployment 扩到 500 个副本。超过 12 个节点后，集群面板改为摘要视图：节点和 Pod 的计数、一个筛选框，以及每次 50 个节点的小方块（每个 Pod 一个点）；点开小方块就是完整的节点卡片。编辑器里有一个小的 node-agent DaemonSet 和一个资源请求不大的 web Deployment。",
        ),
        yaml: LARGE_YAML,
        setup: "",
        steps: &[
            Step {
                text: t(
                    "Apply, then look: four nodes, drawn in full as always; a node-agent pod on each of the three workers (it does not tolerate the control plane's taint) and three web pods.",
                    "应用后看看：4 个节点，和平常一样完整显示；3 个工作节点上各有一个 node-agent Pod（它不容忍 control-plane 的污点），还有 3 个 web Pod。",
                ),
                command: Some("kubectl get pods -o wide"),
                wait: "30s",
                check: large_started,
            },
            Step {
                text: t(
                    "Add 996 nodes in one go, labelled pool=batch: node-4 to node-999, 1,000 nodes in all. The DaemonSet follows by itself, 999 node-agent pods, and the panel switches to the summary: \"showing 50 of 1000 nodes\".",
                    "一次加入 996 个带 pool=batch 标签的节点：node-4 到 node-999，一共 1000 个节点。DaemonSet 自动跟上，共 999 个 node-agent Pod；面板切换为摘要视图：“显示 1000 个节点中的 50 个”。",
                ),
                command: Some("sim node add --count 996 --label pool=batch"),
                wait: "1m",
                check: large_grown,
            },
            Step {
                text: t(
                    "Scale web to 500 replicas. The scheduler spreads them over the workers; the summary line counts them as they start.",
                    "把 web 扩到 500 个副本。调度器把它们分散到各个工作节点上；摘要行随着 Pod 启动实时计数。",
                ),
                command: Some("kubectl scale deployment web --replicas=500"),
                wait: "1m",
                check: large_scaled,
            },
            Step {
                text: t(
                    "Find nodes with the filter above the tiles: pool=batch (a label, key=value) leaves the 996 new nodes, node-742 one node, and part of a pod's name the nodes it runs on. Then drain node-742: a web pod on it is evicted and starts elsewhere, and its tile turns amber (SchedulingDisabled); is:cordoned finds it again.",
                    "用小方块上方的筛选框找节点：pool=batch（标签，key=value）只留下 996 个新节点，node-742 只留下一个节点，输入 Pod 名称的一部分则显示它所在的节点。然后排空 node-742：上面如有 web Pod，会被驱逐并在别处重建，它的小方块变成琥珀色（SchedulingDisabled）；用 is:cordoned 可以再找到它。",
                ),
                command: Some("kubectl drain node-742 --ignore-daemonsets"),
                wait: "30s",
                check: large_drained,
            },
        ],
    },
];
const DEPLOYMENT_YAML: &str = "# Guide 3.2: the api-server Deployment, 3 replicas, rolling updates
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-server
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api-server
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1  # at most 1 pod unavailable
      maxSurge: 1        # at most 1 pod over replicas
  template:
    metadata:
      labels:
        app: api-server
    spec:
      containers:
      - name: api
        image: cloudnative-go-api:v1.0
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
          initialDelaySeconds: 5
";

const REDIS_YAML: &str =
    "# Guide 7.1: Redis on a Deployment, its data in an emptyDir (not recommended)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
spec:
  replicas: 1
  selector:
    matchLabels:
      app: redis-emptydir
  template:
    metadata:
      labels:
        app: redis-emptydir
    spec:
      containers:
      - name: redis
        image: redis:7.4
        volumeMounts:
        - name: data
          mountPath: /data
      volumes:
      - name: data
        emptyDir: {}  # a scratch directory
---
# Guide 4.2 and 7.2: the StatefulSet way (recommended)
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
  volumeClaimTemplates:  # one claim per pod: data-redis-0, data-redis-1, ...
  - metadata:
      name: data
    spec:
      accessModes: [ \"ReadWriteOnce\" ]
      resources:
        requests:
          storage: 1Gi
";

const DAEMONSET_YAML: &str =
    "# Guide 5.2 and 5.3: a log collector on every node, the control plane included
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
          path: /var/log  # the node's /var/log
---
# Guide 5.3: only on nodes labelled role=worker
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      nodeSelector:
        role: worker
      containers:
      - name: exporter
        image: prom/node-exporter:v1.8.2
---
# An ordinary Deployment, to see what drain does to it
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
        volumeMounts:
        - name: cache
          mountPath: /var/cache/nginx
      volumes:
      - name: cache
        emptyDir: {}
";

const JOB_YAML: &str = "# Guide 6.3: the data-import Job. (The guide runs python import.py;
# here the import prints its progress and takes about 30 seconds.)
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
        command: [\"sh\", \"-c\", \"echo importing users.csv; sleep 25; echo imported 1000 rows\"]
      restartPolicy: OnFailure  # retry on failure
---
# The same import with its database unreachable: it fails every time
apiVersion: batch/v1
kind: Job
metadata:
  name: broken-import
spec:
  backoffLimit: 4  # give up after 4 retries
  template:
    spec:
      containers:
      - name: importer
        image: data-importer:v1.0
        command: [\"sh\", \"-c\", \"echo importing users.csv; sleep 2; echo error: database unreachable; exit 1\"]
      restartPolicy: OnFailure
";

const LARGE_YAML: &str = "# An agent on every node that joins
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      containers:
      - name: agent
        image: node-agent:v1.0
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
---
# A stateless web tier, to scale to thousands of replicas
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
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
";

const CRONJOB_YAML: &str = "# Guide 6.3: clean up expired Redis keys every day at 03:00
apiVersion: batch/v1
kind: CronJob
metadata:
  name: redis-cleanup
spec:
  schedule: \"0 3 * * *\"  # every day at 3:00
  successfulJobsHistoryLimit: 3  # keep 3 successful Jobs
  failedJobsHistoryLimit: 1      # keep 1 failed Job
  concurrencyPolicy: Forbid      # never two runs at once
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
---
# An hourly backup that now takes 90 minutes: longer than its period
apiVersion: batch/v1
kind: CronJob
metadata:
  name: redis-backup
spec:
  schedule: \"0 * * * *\"  # every hour
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: backup
            image: redis:7.4
            command: [\"sh\", \"-c\", \"echo dumping redis-0; sleep 5400; echo backup written\"]
          restartPolicy: OnFailure
";

// ---- what the checks look at ----

const NS: &str = "default";

fn label_is(p: &Pod, key: &str, value: &str) -> bool {
    p.metadata.labels.get(key).is_some_and(|v| v == value)
}

/// Running, ready and not being deleted.
fn serving(p: &Pod) -> bool {
    !p.is_terminating() && p.phase() == "Running" && p.is_ready()
}

fn app_pods<'a>(c: &'a Cluster, app: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
    c.store
        .list_ns::<Pod>(NS)
        .filter(move |p| label_is(p, "app", app))
}

fn serving_count(c: &Cluster, app: &str) -> usize {
    app_pods(c, app).filter(|p| serving(p)).count()
}

fn image(p: &Pod) -> &str {
    p.spec
        .containers
        .first()
        .and_then(|k| k.image.as_deref())
        .unwrap_or("")
}

fn pod<'a>(c: &'a Cluster, name: &str) -> Option<&'a Pod> {
    c.store.get::<Pod>(NS, name)
}

fn owner_is(meta: &ObjectMeta, kind: &str, name: &str) -> bool {
    meta.controller()
        .is_some_and(|o| o.kind == kind && o.name == name)
}

fn pvc_bound(c: &Cluster, name: &str) -> bool {
    c.store
        .get::<PersistentVolumeClaim>(NS, name)
        .is_some_and(|p| p.status.phase == "Bound")
}

fn has_event(c: &Cluster, kind: &str, name: &str, reason: &str) -> bool {
    c.store.events.values().any(|e| {
        e.involved_object.kind == kind && e.involved_object.name == name && e.reason == reason
    })
}

fn job_condition(c: &Cluster, name: &str, type_: &str) -> bool {
    c.store.get::<Job>(NS, name).is_some_and(|j| {
        j.status
            .conditions
            .iter()
            .any(|k| k.type_ == type_ && k.status == "True")
    })
}

/// The value of a key in the redis database a pod's redis sees (saved in
/// `/data/dump.rdb`, on whatever volume is mounted there).
fn redis_get(c: &Cluster, p: &Pod, key: &str) -> Option<String> {
    let container = p.spec.containers.first()?;
    let (v, rel) = volumes::resolve(c, p, container, "/data/dump.rdb");
    redis_value(c, &v, &rel, key)
}

/// A key's value in a redis dump file, read as the pod's redis reads it.
fn redis_value(c: &Cluster, v: &VolumeId, rel: &str, key: &str) -> Option<String> {
    kubeplay_kubectl::verbs::read_redis_dump(c.volumes.read(v, rel)?).remove(key)
}

/// The value of a key in the redis database saved on a claim's volume.
fn redis_get_on_claim(c: &Cluster, claim: &str, key: &str) -> Option<String> {
    let pv = c
        .store
        .get::<PersistentVolumeClaim>(NS, claim)?
        .spec
        .volume_name
        .clone()?;
    redis_value(c, &VolumeId::Pv(pv), "dump.rdb", key)
}

fn created(meta: &ObjectMeta) -> i64 {
    meta.creation_timestamp.map_or(0, |t| t.0)
}

/// A pod its ReplicaSet created later than itself: it replaced one that
/// was deleted or evicted (the first pods come within the same second).
fn replacement(c: &Cluster, p: &Pod) -> bool {
    p.metadata
        .controller()
        .and_then(|o| c.store.get::<ReplicaSet>(NS, &o.name))
        .is_some_and(|rs| created(&p.metadata) > created(&rs.metadata) + 1_000)
}

// ---- deployment ----

fn api_deployment(c: &Cluster) -> Option<&Deployment> {
    c.store.get::<Deployment>(NS, "api-server")
}

fn api_template_image(c: &Cluster) -> &str {
    api_deployment(c)
        .and_then(|d| d.spec.template.spec.containers.first())
        .and_then(|k| k.image.as_deref())
        .unwrap_or("")
}

fn api_revision(c: &Cluster) -> i64 {
    api_deployment(c)
        .and_then(|d| {
            d.metadata
                .annotations
                .get("deployment.kubernetes.io/revision")
        })
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// A ReplicaSet of api-server runs this image.
fn api_rs_with_image(c: &Cluster, img: &str) -> bool {
    c.store.list_ns::<ReplicaSet>(NS).any(|rs| {
        owner_is(&rs.metadata, "Deployment", "api-server")
            && rs
                .spec
                .template
                .spec
                .containers
                .first()
                .and_then(|k| k.image.as_deref())
                == Some(img)
    })
}

fn dep_three_running(c: &Cluster) -> bool {
    serving_count(c, "api-server") >= 3 || api_revision(c) >= 2
}

fn dep_self_healed(c: &Cluster) -> bool {
    // a pod younger than its ReplicaSet replaced one that was deleted
    let replaced = app_pods(c, "api-server").any(|p| replacement(c, p));
    (replaced && serving_count(c, "api-server") >= 3) || api_revision(c) >= 2
}

fn dep_updated(c: &Cluster) -> bool {
    api_rs_with_image(c, "cloudnative-go-api:v1.1")
}

fn dep_rolled_out(c: &Cluster) -> bool {
    let live: Vec<&Pod> = app_pods(c, "api-server")
        .filter(|p| !p.is_terminating())
        .collect();
    let all_new = !live.is_empty()
        && live
            .iter()
            .all(|p| image(p) == "cloudnative-go-api:v1.1" && serving(p));
    (all_new && live.len() >= 3) || dep_rolled_back(c)
}

fn dep_scaled(c: &Cluster) -> bool {
    let replicas = api_deployment(c).and_then(|d| d.spec.replicas).unwrap_or(0);
    replicas >= 5 && (serving_count(c, "api-server") >= 5 || api_revision(c) >= 3)
}

fn dep_rolled_back(c: &Cluster) -> bool {
    let replicas = api_deployment(c).and_then(|d| d.spec.replicas).unwrap_or(0);
    let live: Vec<&Pod> = app_pods(c, "api-server")
        .filter(|p| !p.is_terminating())
        .collect();
    api_revision(c) >= 3
        && dep_updated(c)
        && api_template_image(c) == "cloudnative-go-api:v1.0"
        && replicas > 0
        && live.len() == replicas as usize
        && live
            .iter()
            .all(|p| image(p) == "cloudnative-go-api:v1.0" && serving(p))
}

// ---- statefulset-redis ----

fn redis_deploy_pods(c: &Cluster) -> impl Iterator<Item = &Pod> {
    app_pods(c, "redis-emptydir").filter(|p| serving(p))
}

fn redis_all_running(c: &Cluster) -> bool {
    let Some(sts) = c.store.get::<StatefulSet>(NS, "redis") else {
        return false;
    };
    let want = sts.spec.replicas.unwrap_or(1).max(0);
    let ready = (0..want)
        .filter(|i| pod(c, &format!("redis-{i}")).is_some_and(serving))
        .count();
    ["data-redis-0", "data-redis-1", "data-redis-2"]
        .iter()
        .all(|n| pvc_bound(c, n))
        && want > 0
        && ready == want as usize
        && c.store.get::<Deployment>(NS, "redis").is_some()
}

fn redis_deploy_written(c: &Cluster) -> bool {
    redis_deploy_pods(c).any(|p| redis_get(c, p, "greeting").is_some()) || redis_deploy_lost(c)
}

fn redis_deploy_lost(c: &Cluster) -> bool {
    // a replacement pod (younger than its ReplicaSet), without the key
    redis_deploy_pods(c).any(|p| replacement(c, p) && redis_get(c, p, "greeting").is_none())
}

fn redis_sts_written(c: &Cluster) -> bool {
    redis_get_on_claim(c, "data-redis-0", "greeting").is_some()
}

fn redis_sts_kept(c: &Cluster) -> bool {
    // redis-0 is younger than its claim: it was recreated, and has the data
    let claim_created = c
        .store
        .get::<PersistentVolumeClaim>(NS, "data-redis-0")
        .map(|p| created(&p.metadata));
    match (pod(c, "redis-0"), claim_created) {
        (Some(p), Some(t)) => {
            serving(p) && created(&p.metadata) > t + 1_000 && redis_get(c, p, "greeting").is_some()
        }
        _ => false,
    }
}

fn redis_scaled_down(c: &Cluster) -> bool {
    c.store
        .get::<StatefulSet>(NS, "redis")
        .is_some_and(|s| s.spec.replicas == Some(1))
        && pod(c, "redis-0").is_some_and(serving)
        && pod(c, "redis-1").is_none()
        && pod(c, "redis-2").is_none()
        && pvc_bound(c, "data-redis-1")
        && pvc_bound(c, "data-redis-2")
}

// ---- daemonset ----

fn ds_pod_on(c: &Cluster, ds: &str, node: &str) -> bool {
    c.store.list_ns::<Pod>(NS).any(|p| {
        owner_is(&p.metadata, "DaemonSet", ds) && p.node_name() == Some(node) && serving(p)
    })
}

fn ds_on_every_node(c: &Cluster) -> bool {
    let mut nodes = c.store.list::<Node>().peekable();
    nodes.peek().is_some()
        && c.store
            .list::<Node>()
            .all(|n| ds_pod_on(c, "log-collector", &n.metadata.name))
}

fn ds_on_new_node(c: &Cluster) -> bool {
    ds_pod_on(c, "log-collector", "node-4")
}

fn ds_drained(c: &Cluster) -> bool {
    // nothing but DaemonSet pods left on node-2, web whole again elsewhere,
    // and the log collector still there
    let others_on_node_2 = c.store.list_ns::<Pod>(NS).any(|p| {
        p.node_name() == Some("node-2")
            && p.metadata
                .controller()
                .is_none_or(|o| o.kind != "DaemonSet")
    });
    let evicted = has_event(c, "Node", "node-2", "NodeNotSchedulable")
        || app_pods(c, "web").any(|p| replacement(c, p));
    !others_on_node_2
        && evicted
        && serving_count(c, "web") >= 3
        && ds_pod_on(c, "log-collector", "node-2")
}

fn ds_uncordoned(c: &Cluster) -> bool {
    let schedulable = c
        .store
        .get::<Node>("", "node-2")
        .is_some_and(|n| n.spec.unschedulable != Some(true));
    schedulable && ds_drained(c)
}

fn ds_selected(c: &Cluster) -> bool {
    let exporters: Vec<&str> = c
        .store
        .list_ns::<Pod>(NS)
        .filter(|p| owner_is(&p.metadata, "DaemonSet", "node-exporter") && serving(p))
        .filter_map(|p| p.node_name())
        .collect();
    exporters.contains(&"node-1") && exporters.contains(&"node-2")
}

// ---- job ----

fn job_pods<'a>(c: &'a Cluster, job: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
    c.store
        .list_ns::<Pod>(NS)
        .filter(move |p| owner_is(&p.metadata, "Job", job))
}

fn job_broken_retried(c: &Cluster) -> bool {
    let restarted = job_pods(c, "broken-import").any(|p| {
        p.status
            .container_statuses
            .iter()
            .any(|s| s.restart_count >= 1)
    });
    restarted || job_condition(c, "broken-import", "Failed")
}

fn job_started(c: &Cluster) -> bool {
    let importing =
        job_pods(c, "data-import").any(serving) || job_condition(c, "data-import", "Complete");
    importing && job_broken_retried(c)
}

fn job_completed_after_retry(c: &Cluster) -> bool {
    // the pod that succeeded was created after the Job: a replacement
    let created_job = c
        .store
        .get::<Job>(NS, "data-import")
        .map(|j| created(&j.metadata));
    let Some(t) = created_job else {
        return false;
    };
    job_condition(c, "data-import", "Complete")
        && job_pods(c, "data-import")
            .any(|p| p.phase() == "Succeeded" && created(&p.metadata) > t + 1_000)
}

fn job_gave_up(c: &Cluster) -> bool {
    c.store.get::<Job>(NS, "broken-import").is_some_and(|j| {
        j.status.conditions.iter().any(|k| {
            k.type_ == "Failed"
                && k.status == "True"
                && k.reason.as_deref() == Some("BackoffLimitExceeded")
        })
    })
}

fn job_logs_kept(c: &Cluster) -> bool {
    job_pods(c, "data-import").any(|p| {
        p.phase() == "Succeeded"
            && c.logs(NS, &p.metadata.name, "importer")
                .is_some_and(|l| l.current.contains("imported"))
    })
}

// ---- cronjob ----

fn cron_jobs<'a>(c: &'a Cluster, cj: &'a str) -> impl Iterator<Item = &'a Job> + 'a {
    c.store
        .list_ns::<Job>(NS)
        .filter(move |j| owner_is(&j.metadata, "CronJob", cj))
}

fn cron_ran(c: &Cluster) -> bool {
    cron_jobs(c, "redis-cleanup").any(|j| {
        j.status
            .conditions
            .iter()
            .any(|k| k.type_ == "Complete" && k.status == "True")
    })
}

fn cron_logs(c: &Cluster) -> bool {
    cron_jobs(c, "redis-cleanup").any(|j| {
        job_pods(c, &j.metadata.name).any(|p| {
            c.logs(NS, &p.metadata.name, "cleanup")
                .is_some_and(|l| l.current.contains("done"))
        })
    })
}

fn cron_history_limited(c: &Cluster) -> bool {
    let Some(cj) = c.store.get::<CronJob>(NS, "redis-cleanup") else {
        return false;
    };
    let last = cj.status.last_schedule_time.map_or(0, |t| t.0);
    // the fourth daily run (or later), with 3 Jobs kept
    cron_jobs(c, "redis-cleanup").count() == 3 && last >= created(&cj.metadata) + 72 * 3_600_000
}

fn cron_forbid_held_back(c: &Cluster) -> bool {
    // a JobAlreadyActive event, or a Job that started well after its
    // scheduled time (the number in its name, in minutes since 1970)
    has_event(c, "CronJob", "redis-backup", "JobAlreadyActive")
        || cron_jobs(c, "redis-backup").any(|j| {
            let scheduled = j
                .metadata
                .name
                .rsplit('-')
                .next()
                .and_then(|m| m.parse::<i64>().ok())
                .map(|m| m * 60_000);
            scheduled.is_some_and(|s| created(&j.metadata) >= s + 60_000)
        })
}

// ---- large cluster ----

fn ds_ready(c: &Cluster, name: &str) -> i32 {
    c.store
        .get::<kubeplay_core::api::DaemonSet>(NS, name)
        .map_or(0, |d| d.status.number_ready)
}

/// web pods that are Running and not being deleted (ready or not: a step
/// stays done while a drain moves some of them).
fn web_running(c: &Cluster) -> usize {
    app_pods(c, "web")
        .filter(|p| !p.is_terminating() && p.phase() == "Running")
        .count()
}

fn large_started(c: &Cluster) -> bool {
    ds_ready(c, "node-agent") >= 3 && serving_count(c, "web") >= 3
}

fn large_grown(c: &Cluster) -> bool {
    c.store.nodes.len() >= 1000 && ds_ready(c, "node-agent") >= 999
}

fn large_scaled(c: &Cluster) -> bool {
    let want = c
        .store
        .get::<Deployment>(NS, "web")
        .and_then(|d| d.spec.replicas)
        .unwrap_or(0);
    want >= 500 && web_running(c) >= 500
}

fn large_drained(c: &Cluster) -> bool {
    let cordoned = c
        .store
        .get::<Node>("", "node-742")
        .is_some_and(|n| n.spec.unschedulable == Some(true));
    let web_left = app_pods(c, "web").any(|p| p.node_name() == Some("node-742"));
    cordoned && !web_left && web_running(c) >= 500
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_kubectl::{script, Console};

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
    }

    /// Opens a lesson as the app does: a fresh console, the setup, the
    /// editor's manifests applied.
    fn open(l: &Lesson, seed: u64) -> Console {
        let mut con = Console::new(seed);
        if !l.setup.trim().is_empty() {
            let out = script::run(&mut con, l.setup);
            assert!(!out.contains("error"), "{}: setup failed:\n{out}", l.id);
        }
        let out = con.exec("kubectl apply -f -", Some(l.yaml));
        assert!(out.ok, "{}: apply failed:\n{}", l.id, out.text);
        con
    }

    /// Walks a lesson step by step, as the "do it" buttons would, with a few
    /// seeds (the app's session may have any).
    fn walk(id: &str) {
        for seed in [1, 2, 3, 42, 2025] {
            walk_seed(id, seed);
        }
    }

    fn walk_seed(id: &str, seed: u64) {
        let l = find(id).unwrap();
        let mut con = open(l, seed);
        // nothing is done before the learner does anything
        for (i, s) in l.steps.iter().enumerate() {
            assert!(
                !(s.check)(&con.cluster),
                "{id} (seed {seed}): step {} is done before it was started",
                i + 1
            );
        }
        for (i, s) in l.steps.iter().enumerate() {
            let n = i + 1;
            let before = (s.check)(&con.cluster);
            if i == 0 {
                assert!(
                    !before,
                    "{id} (seed {seed}): step 1 holds before its command"
                );
            }
            if let Some(cmd) = s.command {
                let out = con.exec(cmd, None);
                assert!(
                    out.ok,
                    "{id} (seed {seed}): step {n}: `{cmd}` failed:\n{}",
                    out.text
                );
            }
            if !s.wait.is_empty() {
                let out = con.exec(&format!("sim advance {}", s.wait), None);
                assert!(
                    out.ok,
                    "{id} (seed {seed}): step {n}: wait failed:\n{}",
                    out.text
                );
            }
            assert!(
                (s.check)(&con.cluster),
                "{id} (seed {seed}): step {n} is not done after `{}`",
                s.command.unwrap_or("")
            );
            // earlier steps stay done
            for (j, e) in l.steps[..i].iter().enumerate() {
                assert!(
                    (e.check)(&con.cluster),
                    "{id} (seed {seed}): step {} is no longer done after step {n}",
                    j + 1
                );
            }
        }
    }

    #[test]
    fn lessons_deployment_walkthrough() {
        walk("deployment");
    }

    #[test]
    fn lessons_statefulset_redis_walkthrough() {
        walk("statefulset-redis");
    }

    #[test]
    fn lessons_daemonset_walkthrough() {
        walk("daemonset");
    }

    #[test]
    fn lessons_job_walkthrough() {
        walk("job");
    }

    #[test]
    fn lessons_cronjob_walkthrough() {
        walk("cronjob");
    }

    /// A thousand nodes and four thousand pods take the simulation a while:
    /// the whole walk runs with `KUBEPLAY_LONG=1`; by default, the first
    /// step and the growth to 1,000 nodes.
    #[test]
    fn lessons_large_cluster_walkthrough() {
        if std::env::var_os("KUBEPLAY_LONG").is_some() {
            for seed in [1, 2025] {
                walk_seed("large-cluster", seed);
            }
            return;
        }
        let l = find("large-cluster").unwrap();
        let mut con = open(l, 1);
        assert!(!(l.steps[0].check)(&con.cluster));
        assert!(con.exec("sim advance 30s", None).ok);
        assert!((l.steps[0].check)(&con.cluster));
        let grow = l.steps[1].command.unwrap_or("");
        let out = con.exec(grow, None);
        assert_eq!(out.text, "996 nodes added: node-4 to node-999\n");
        assert_eq!(con.cluster.store.nodes.len(), 1000);
        let pending_agents = con
            .cluster
            .store
            .list_ns::<Pod>(NS)
            .filter(|p| owner_is(&p.metadata, "DaemonSet", "node-agent"))
            .count();
        assert_eq!(pending_agents, 999);
    }

    #[test]
    fn lessons_are_complete_in_both_languages() {
        let ids = [
            "deployment",
            "statefulset-redis",
            "daemonset",
            "job",
            "cronjob",
            "large-cluster",
        ];
        assert_eq!(all().iter().map(|l| l.id).collect::<Vec<_>>(), ids);
        for l in all() {
            assert!(std::ptr::eq(find(l.id).unwrap(), l));
            assert!(
                (2..=6).contains(&l.steps.len()),
                "{}: {} steps",
                l.id,
                l.steps.len()
            );
            for tx in [l.title, l.intro]
                .iter()
                .chain(l.steps.iter().map(|s| &s.text))
            {
                assert!(
                    !tx.en.trim().is_empty() && !has_cjk(tx.en),
                    "{}: {}",
                    l.id,
                    tx.en
                );
                assert!(has_cjk(tx.zh), "{}: {}", l.id, tx.zh);
                assert_eq!(tx.get(Lang::En), tx.en);
                assert_eq!(tx.get(Lang::Zh), tx.zh);
            }
            for s in l.steps {
                if !s.wait.is_empty() {
                    assert!(
                        kubeplay_core::time::parse_duration(s.wait).is_ok_and(|ms| ms > 0),
                        "{}: wait {:?}",
                        l.id,
                        s.wait
                    );
                }
                if let Some(cmd) = s.command {
                    assert!(!cmd.contains('\n'), "{}: {cmd}", l.id);
                }
            }
        }
        assert!(find("nope").is_none());
    }

    #[test]
    fn lessons_lang_codes() {
        assert_eq!(Lang::from_code("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_code("en-US"), Lang::En);
        assert_eq!(Lang::from_code(Lang::Zh.code()), Lang::Zh);
        assert_eq!(Lang::from_code(Lang::En.code()), Lang::En);
    }
}
