/** Markdown Paperclip shows to people and agents configuring a claude_k8s agent. */
export const agentConfigurationDoc = `# claude_k8s

Runs Claude Code (\`claude --print --output-format stream-json\`) as a Kubernetes Job per run,
streams the transcript live, and reports outcome, usage, cost and the session for resume.

Most used keys (all optional; see the adapter README for every key):

- \`model\`, \`effort\`, \`maxTurnsPerRun\` (0 = no limit), \`instructionsFilePath\`, \`extraArgs\`
- \`env\`: environment for the agent; every value reaches the pod from a per-run Secret
  (only known-public names such as TZ or GIT_AUTHOR_NAME stand as literal values)
- \`namespace\`, \`image\` (must contain the \`claude\` CLI), \`serviceAccountName\`,
  \`resources\` (default requests 1000m/2Gi/1Gi, limits 4000m/8Gi/20Gi of cpu/memory/ephemeral-storage),
  \`nodeSelector\`, \`tolerations\`, \`labels\`
- \`workspaceVolumeClaim\` and \`workspaceMountPath\` (default /paperclip): the ReadWriteMany
  volume shared with the Paperclip server, where workspaces and skills live
- without such a claim each agent gets a ReadWriteOnce volume of its own (created when missing,
  kept between runs: HOME, sessions, workspace): \`agentVolumeStorageClass\` (default: the
  cluster's default class) and \`agentVolumeSize\` (10Gi); the run log and \`resultJson.workspaceMode\`
  say which mode a run used; a project's repository is cloned into that volume by the pod, with
  \`gitCredentialsSecret\` (a Secret with username and password/token) when it needs credentials
- \`timeoutSec\` (0 = none; the Job is still stopped after \`jobDeadlineSec\`, 21600 = 6 h, 0 lifts it),
  \`podScheduleTimeoutSec\` (120), \`podStartTimeoutSec\` (600),
  \`retainJobs\`, \`reattachOrphanedJobs\` (true), \`ttlSecondsAfterFinished\` (300)
- \`enableRtk\` and \`rtkMaxOutputBytes\` (50000): trim large tool outputs before the model reads them,
  failing Bash commands included (each Bash command is rewritten so its output is reduced inside
  it, exit status kept; a cut output aims at 3000 bytes of head and tail plus every error line,
  and its full text is saved in the pod and named in the cut marker; see @claude-k8s/rtk-hook)

Keys that choose where or as whom the pod runs, or what the server reads (\`kubeconfig\`,
\`namespace\`, \`image\`, \`serviceAccountName\` with \`automountServiceAccountToken\`,
\`priorityClassName\`, \`tolerations\`, \`nodeSelector\`, \`workspaceVolumeClaim\`,
\`agentVolumeStorageClass\`, \`serverMountPath\`, \`fsGroup\`, \`inheritEnv\`, \`inheritSecretVolumes\`,
\`instructionsFilePath\`) take only what the operator allows in the server's environment
(\`CLAUDE_K8S_ALLOW_*\`); otherwise the run fails with \`k8s_config_forbidden\` naming the key
and the variable. The pod sees only its own workspace and HOME of the shared volume.

Wrongly typed values are errors that name the key and show a good value; numbers and
booleans written as strings ("300", "true") are accepted. A key named \`command\` is refused.

Error codes a run can end with: \`k8s_config_invalid\`, \`k8s_config_forbidden\`, \`k8s_mount_forbidden\`, \`k8s_volume_pending\`, \`k8s_git_checkout_failed\`, \`k8s_forbidden\`, \`k8s_api_unreachable\`, \`k8s_concurrent_run_blocked\`,
\`k8s_job_create_failed\`, \`k8s_secret_create_failed\`, \`k8s_pod_unschedulable\`,
\`k8s_image_pull_failed\`, \`k8s_container_config_error\`, \`k8s_init_container_failed\`,
\`k8s_pod_start_timeout\`, \`k8s_pod_evicted\`, \`k8s_oom_killed\`, \`k8s_job_deleted_externally\`,
\`timeout\`, \`cancelled\`, and Claude's own: \`claude_auth_required\`, \`provider_quota\`,
\`claude_transient_upstream\`, \`max_turns_exhausted\`, \`session_unavailable\`, \`llm_api_error\`,
\`claude_truncated\`, \`claude_no_output\`, \`model_not_found\`, \`claude_error\`.
`;
