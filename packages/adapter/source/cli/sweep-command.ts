import { createKubeClient, sweepAgentVolumes, sweepNamespace } from "@claude-k8s/k8s-runtime";
import { resolveKubeTarget } from "../kube-access.ts";
import { parseArgs, stringFlag, UsageError } from "./args.ts";
import { labTarget } from "./lab-target.ts";
import { instanceIdFromEnv } from "../instance-id.ts";

export const sweepHelp = `usage: claude-k8s sweep --namespace NS [--delete] [--instance ID] [--json] [--lab | --kubeconfig FILE]
       claude-k8s sweep --volumes --namespace NS [--delete-volumes] [--lab | --kubeconfig FILE]

Lists what claude-k8s left behind in a namespace (Jobs abandoned by a dead adapter process
or past their TTL, pods whose Job is gone, Secrets whose run is gone) and, with --delete,
removes it. Never touches a run whose adapter process is alive, nor anything younger than
15 minutes; a running Job without claude-k8s's owner mark is only reported. Only the objects
of one Paperclip instance are looked at: --instance, else CLAUDE_K8S_INSTANCE_ID, else
PAPERCLIP_INSTANCE_ID, else "default". --json prints
{namespace, deleted, items: [{kind, name, reason}], leftAlone: [...], failures: [...]}.
Exit status 1 when a delete failed.

--volumes lists the agents' own volumes (agent-volume mode: one claim per agent, holding its
HOME, sessions and workspaces) instead. Deleting one deletes that agent's sessions and unpushed
work, so it happens only with --delete-volumes, and never to a volume a running pod mounts.
`;

export async function sweepCommand(argv: readonly string[], io: { out: (text: string) => void }): Promise<number> {
  const args = parseArgs(argv, { values: ["namespace", "kubeconfig", "instance"], booleans: ["delete", "lab", "json", "volumes", "delete-volumes"] });
  if (args.flags.has("help")) {
    io.out(sweepHelp);
    return 0;
  }
  const kubeconfig = stringFlag(args, "kubeconfig") ?? (args.flags.has("lab") ? labTarget().proxiedKubeconfigPath : undefined);
  const target = resolveKubeTarget(kubeconfig);
  const namespace = stringFlag(args, "namespace") ?? target.kubeConfig.getContextObject(target.kubeConfig.getCurrentContext())?.namespace;
  if (!namespace) throw new UsageError("sweep needs --namespace NS (the kubeconfig's context names none)");
  const client = await createKubeClient(target.kubeConfig);
  if (args.flags.has("volumes") || args.flags.has("delete-volumes")) {
    try {
      return await sweepVolumes(client, namespace, args.flags.has("delete-volumes"), io);
    } finally {
      client.close();
    }
  }
  try {
    const report = await sweepNamespace(client, namespace, { delete: args.flags.has("delete"), instanceId: stringFlag(args, "instance") ?? instanceIdFromEnv() });
    const items = [
      ...report.plan.pods.map((item) => ({ kind: "pod", item })),
      ...report.plan.jobs.map((item) => ({ kind: "job", item })),
      ...report.plan.secrets.map((item) => ({ kind: "secret", item })),
    ];
    if (args.flags.has("json")) {
      const describe = ({ kind, item }: { kind: string; item: (typeof report.plan.jobs)[number] }) => ({ kind, name: item.object.metadata?.name ?? "", reason: item.reason });
      io.out(
        `${JSON.stringify({ namespace, deleted: report.deleted, items: items.map(describe), leftAlone: report.plan.unowned.map((item) => describe({ kind: "job", item })), failures: report.failures }, null, 2)}\n`,
      );
      return report.failures.length > 0 ? 1 : 0;
    }
    if (items.length === 0) io.out(`nothing to sweep in ${namespace}\n`);
    for (const { kind, item } of items) io.out(`${report.deleted ? "deleted" : "would delete"} ${kind} ${namespace}/${item.object.metadata?.name}: ${item.reason}\n`);
    for (const item of report.plan.unowned) io.out(`left alone job ${namespace}/${item.object.metadata?.name}: ${item.reason}\n`);
    for (const failure of report.failures) io.out(`failed: ${failure}\n`);
    if (!report.deleted && items.length > 0) io.out("(dry run: add --delete to remove them)\n");
    return report.failures.length > 0 ? 1 : 0;
  } finally {
    client.close();
  }
}

async function sweepVolumes(client: Awaited<ReturnType<typeof createKubeClient>>, namespace: string, remove: boolean, io: { out: (text: string) => void }): Promise<number> {
  const report = await sweepAgentVolumes(client, namespace, { delete: remove });
  if (report.volumes.length === 0) io.out(`no agent volumes in ${namespace}\n`);
  for (const volume of report.volumes) {
    const verb = report.deleted.includes(volume.name) ? "deleted" : remove ? "kept" : "would delete";
    const use = volume.usedBy.length > 0 ? `, mounted by ${volume.usedBy.join(", ")}` : "";
    io.out(`${verb} agent volume ${namespace}/${volume.name}: agent ${volume.agentId}, ${volume.size}, ${volume.phase}, StorageClass ${volume.storageClass ?? "default"}${use}\n`);
  }
  for (const skipped of report.skipped) io.out(`left alone: ${skipped}\n`);
  if (!remove && report.volumes.length > 0) io.out("(dry run: add --delete-volumes to delete them, with every session and unpushed change on them)\n");
  return report.skipped.some((line) => !line.includes("mounted by")) ? 1 : 0;
}
