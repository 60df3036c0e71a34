//! Golden transcripts: the guide's commands, run on the simulated cluster,
//! must print what kubectl prints. Snapshots live in `snapshots/`.

use crate::run_scenario;

fn golden(name: &str) {
    let out = run_scenario(name, 1);
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name.trim_end_matches(".kp"), out);
    });
}

#[test]
fn guide_3_2_1_a_deployment_replaces_a_deleted_pod() {
    golden("guide-3.2-1-self-healing.kp");
}

#[test]
fn guide_3_2_2_a_rolling_update_surges_one_and_retires_one() {
    golden("guide-3.2-2-rolling-update.kp");
}

#[test]
fn guide_3_2_3_scaling_out_and_in() {
    golden("guide-3.2-3-scaling.kp");
}

#[test]
fn guide_7_1_redis_on_a_deployment_gets_a_new_pod_name() {
    golden("guide-7.1-redis-deployment.kp");
}

#[test]
fn bad_input_gets_located_errors_and_changes_nothing() {
    golden("errors.kp");
}

#[test]
fn pods_run_init_containers_crash_loop_and_wait_for_config() {
    golden("pod-lifecycle.kp");
}

#[test]
fn nodes_fill_up_cordon_taint_fail_and_recover() {
    golden("nodes.kp");
}

#[test]
fn a_deleted_namespace_terminates_with_its_pods() {
    golden("namespace-deletion.kp");
}

#[test]
fn similar_events_are_combined_from_the_tenth_message_on() {
    golden("event-aggregation.kp");
}

#[test]
fn get_lists_in_name_order_and_sorts_by_a_field() {
    golden("get-sort-by.kp");
}

#[test]
fn custom_columns_print_fields_of_each_object() {
    golden("get-custom-columns.kp");
}

#[test]
fn kubectl_events_lists_oldest_first() {
    golden("events.kp");
}

#[test]
fn contexts_set_the_namespace_and_the_cluster_commands_reach() {
    golden("config-contexts.kp");
}

#[test]
fn get_watch_prints_each_change_as_it_happens() {
    golden("get-watch.kp");
}

#[test]
fn logs_follow_prints_each_line_as_it_is_written() {
    golden("logs-follow.kp");
}

#[test]
fn an_image_the_registry_lacks_backs_off() {
    golden("image-pull-errors.kp");
}

#[test]
fn annotate_sets_overwrites_removes_and_lists() {
    golden("annotate.kp");
}

#[test]
fn jsonpath_templates_read_as_kubectl_reads_them() {
    golden("jsonpath.kp");
}

#[test]
fn expose_makes_services_with_node_ports() {
    golden("expose.kp");
}

#[test]
fn wait_runs_the_clock_until_a_condition_holds() {
    golden("wait.kp");
}

#[test]
fn create_makes_objects_from_files_literals_and_manifests() {
    golden("create.kp");
}

#[test]
fn patch_applies_strategic_merge_and_json_patches() {
    golden("patch.kp");
}

#[test]
fn set_env_and_resources_change_a_template() {
    golden("set-env-resources.kp");
}

#[test]
fn logs_scale_and_cordon_take_selectors() {
    golden("selectors.kp");
}

#[test]
fn a_dry_run_prints_and_keeps_nothing() {
    golden("dry-run.kp");
}

#[test]
fn the_default_scenario_plays_through() {
    let out = crate::run_script(
        &std::fs::read_to_string(crate::root().join("../scenarios/default.kp")).unwrap_or_default(),
        1,
        &crate::root(),
    );
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("default-scenario", out);
    });
}

#[test]
fn the_same_script_and_seed_print_the_same_transcript() {
    for name in [
        "guide-3.2-1-self-healing.kp",
        "guide-3.2-2-rolling-update.kp",
    ] {
        assert_eq!(run_scenario(name, 7), run_scenario(name, 7), "{name}");
    }
}

#[test]
fn another_seed_changes_generated_names() {
    let a = run_scenario("guide-3.2-1-self-healing.kp", 1);
    let b = run_scenario("guide-3.2-1-self-healing.kp", 2);
    assert_ne!(a, b);
    let names = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| {
                l.starts_with("api-server-")
                    && l.split_whitespace()
                        .next()
                        .is_some_and(|n| n.matches('-').count() == 3)
            })
            .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
            .collect()
    };
    assert!(!names(&a).is_empty());
    assert!(names(&a).iter().all(|n| !names(&b).contains(n)));
}

#[test]
fn guide_5_2_1_a_daemonset_runs_on_every_node_and_on_node_4_when_it_joins() {
    golden("guide-5.2-1-daemonset-on-every-node.kp");
}

#[test]
fn guide_5_2_2_drain_cordons_evicts_within_the_budget_and_keeps_daemon_pods() {
    golden("guide-5.2-2-drain.kp");
}

#[test]
fn guide_5_3_node_selectors_tolerations_and_daemonset_rollouts() {
    golden("guide-5.3-scheduling.kp");
}

#[test]
fn guide_7_redis_loses_its_data_on_a_deployment_and_keeps_it_on_a_statefulset() {
    golden("guide-7-redis.kp");
}

#[test]
fn guide_4_3_statefulset_pods_start_and_stop_in_order_and_keep_their_claims() {
    golden("guide-4-statefulset.kp");
}

#[test]
fn a_read_write_once_claim_shared_by_pods_on_several_nodes_gives_multi_attach_errors() {
    golden("rwo-multi-attach.kp");
}

#[test]
fn guide_6_3_a_daily_cronjob_keeps_three_successful_jobs() {
    golden("guide-6.3-cronjob.kp");
}

#[test]
fn guide_6_3_forbid_skips_while_a_long_job_runs_and_starts_it_late() {
    golden("guide-6.3-concurrency.kp");
}

#[test]
fn guide_6_3_the_data_import_job_and_its_retries() {
    golden("guide-6.3-job.kp");
}

#[test]
fn guide_6_3_allow_overlaps_runs_and_replace_replaces_them() {
    golden("guide-6.3-allow-replace.kp");
}

#[test]
fn guide_3_4_the_autoscaler_scales_out_under_load_and_back_in_after_its_window() {
    golden("guide-3.4-hpa.kp");
}

#[test]
fn the_api_servers_warnings_print_before_the_object() {
    golden("warnings.kp");
}

#[test]
fn a_deleted_job_pod_counts_as_failed_under_the_replacement_policy() {
    golden("job-pod-deleted.kp");
}
