//! The app's own words in English and Chinese.

pub use crate::lessons::Lang;

const TABLE: &[(&str, &str, &str)] = &[
    ("title", "kubeplay", "kubeplay"),
    (
        "tagline",
        "a Kubernetes workload playground",
        "Kubernetes 工作负载演练场",
    ),
    ("lesson", "Lesson", "课程"),
    ("free", "Free play", "自由练习"),
    ("language", "Language", "语言"),
    ("editor", "Manifests", "清单 (YAML)"),
    ("editor-label", "YAML manifests", "YAML 清单"),
    ("apply", "Apply", "应用"),
    ("apply-hint", "Ctrl/Cmd+Enter", "Ctrl/Cmd+Enter"),
    ("cluster", "Cluster", "集群"),
    ("pending", "Pending (not scheduled)", "Pending（未调度）"),
    ("storage", "Volumes", "存储卷"),
    ("services", "Services", "Service"),
    ("workloads", "Workloads", "工作负载"),
    ("console", "Console", "控制台"),
    ("console-label", "kubectl command", "kubectl 命令"),
    ("events", "Events", "事件"),
    ("chart", "Desired vs ready pods", "期望与就绪 Pod 数"),
    ("play", "Play", "播放"),
    ("pause", "Pause", "暂停"),
    ("speed", "Speed", "速度"),
    ("step", "Step", "前进"),
    ("next-cron", "Next CronJob run", "下次 CronJob 运行"),
    ("clock", "Virtual time", "虚拟时间"),
    ("add-node", "Add node", "添加节点"),
    ("cordon", "Cordon", "封锁"),
    ("uncordon", "Uncordon", "解除封锁"),
    ("drain", "Drain", "排空"),
    ("fail", "Fail", "故障"),
    ("recover", "Recover", "恢复"),
    ("remove", "Remove", "移除"),
    ("delete", "Delete", "删除"),
    ("exec", "Exec", "执行"),
    ("logs", "Logs", "日志"),
    ("describe", "Describe", "详情"),
    ("scale", "Scale", "扩缩容"),
    ("image", "Image", "镜像"),
    ("set-image", "Set image", "更新镜像"),
    ("restart", "Restart", "重启"),
    ("close", "Close", "关闭"),
    ("share", "Share link", "分享链接"),
    ("embed", "Copy embed code", "复制嵌入代码"),
    ("copied", "Copied to the clipboard:", "已复制到剪贴板："),
    ("reset", "Reset cluster", "重置集群"),
    ("chooser", "Which workload?", "选哪种工作负载？"),
    ("load-editor", "Load into the editor", "载入编辑器"),
    ("open-lesson", "Open the lesson", "打开课程"),
    ("start-over", "Start over", "重新开始"),
    ("principles", "Five principles", "五条原则"),
    ("do-it", "Do it", "执行"),
    ("done", "done", "已完成"),
    ("steps", "Steps", "步骤"),
    ("no-events", "No events yet.", "暂无事件。"),
    ("no-pods", "No pods", "没有 Pod"),
    ("no-volumes", "No claims yet.", "还没有 PVC。"),
    ("used-by", "used by", "使用者"),
    ("not-ready", "NotReady", "NotReady"),
    ("cpu", "cpu", "cpu"),
    ("memory", "memory", "内存"),
    ("pods", "pods", "pods"),
    ("taints", "taints", "污点"),
    (
        "exec-prompt",
        "command to run in the pod",
        "在 Pod 中运行的命令",
    ),
    ("open-full", "Open full playground", "打开完整演练场"),
    ("nodes", "nodes", "个节点"),
    ("finished", "finished", "已结束"),
    ("filter-nodes", "Filter nodes", "筛选节点"),
    (
        "filter-placeholder",
        "name, label key=value or pod",
        "名称、标签 key=value 或 Pod",
    ),
    (
        "filter-help",
        "Words a node must all match: part of its name or of a pod's name, a label key=value, node:NAME, pod:NAME, is:notready, is:cordoned.",
        "节点须满足所有词：名称或其上 Pod 名称的一部分、标签 key=value、node:名称、pod:名称、is:notready、is:cordoned。",
    ),
    ("showing-nodes", "showing {shown} of {total} nodes", "显示 {total} 个节点中的 {shown} 个"),
    (
        "showing-matching",
        "showing {shown} of {matching} matching nodes ({total} in all)",
        "显示 {matching} 个匹配节点中的 {shown} 个（共 {total} 个）",
    ),
    ("show-more", "Show {n} more", "再显示 {n} 个"),
    ("no-match", "No node matches the filter.", "没有匹配筛选条件的节点。"),
    ("and-more", "and {n} more", "还有 {n} 个"),
    ("fold", "Fold into a tile", "收起为小方块"),
    ("open-card", "Open the full card", "展开完整卡片"),
    ("pv", "PersistentVolume", "持久卷"),
    ("reclaim", "reclaim", "回收策略"),
    ("class", "class", "存储类"),
    ("claim", "claim", "PVC"),
    ("saved", "restored from your last visit", "已恢复上次的会话"),
];

pub fn tr(lang: Lang, key: &str) -> &'static str {
    match TABLE.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, zh)) => match lang {
            Lang::En => en,
            Lang::Zh => zh,
        },
        None => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        for (i, (k, en, zh)) in TABLE.iter().enumerate() {
            assert!(!en.is_empty() && !zh.is_empty(), "{k}");
            assert!(
                TABLE[i + 1..].iter().all(|(o, _, _)| o != k),
                "duplicate {k}"
            );
        }
        assert_eq!(tr(Lang::Zh, "apply"), "应用");
    }
}
