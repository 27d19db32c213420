import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { closeOnShutdown, createRuntimeContext, type RuntimeContext } from "@claude-k8s/k8s-runtime";
import { serverLog } from "./server-log.ts";

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** True when this process runs in a Kubernetes pod with a service-account token. */
export function runsInCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(`${SERVICE_ACCOUNT_DIR}/token`);
}

export interface KubeTarget {
  kubeConfig: KubeConfig;
  /** Where the credentials came from, for messages and the runtime cache key. */
  source: string;
  /** The Jobs run in the cluster this process runs in (so its own pod describes their surroundings). */
  inCluster: boolean;
}

/**
 * Which cluster runs the Jobs: `kubeconfig` from the adapter config, else $KUBECONFIG,
 * else the in-cluster identity, else ~/.kube/config. A kubeconfig named in agent config
 * (`fromAgentConfig`) may not run programs: exec credential plugins and auth providers run
 * only from a kubeconfig the operator set (KUBECONFIG, or the CLI's --kubeconfig).
 */
export function resolveKubeTarget(kubeconfigPath: string | undefined, env: NodeJS.ProcessEnv = process.env, options: { fromAgentConfig?: boolean } = {}): KubeTarget {
  const kubeConfig = new KubeConfig();
  const explicit = kubeconfigPath ?? env.KUBECONFIG?.split(":").find((entry) => entry.trim() !== "");
  if (explicit) {
    const origin = kubeconfigPath ? "adapter config key kubeconfig" : "KUBECONFIG";
    if (!existsSync(explicit)) {
      throw new KubeTargetError(`the kubeconfig ${explicit} (${origin}) does not exist: point it at a readable kubeconfig file, or leave it unset to use the in-cluster identity`);
    }
    loadKubeconfigFile(kubeConfig, explicit, origin);
    if (kubeconfigPath && options.fromAgentConfig) refuseProgramsInAgentKubeconfig(kubeConfig);
    return { kubeConfig, source: `kubeconfig ${explicit} (context ${kubeConfig.getCurrentContext()})`, inCluster: false };
  }
  if (runsInCluster(env)) {
    kubeConfig.loadFromCluster();
    return { kubeConfig, source: "in-cluster service account", inCluster: true };
  }
  kubeConfig.loadFromDefault();
  if (!kubeConfig.getCurrentCluster()) {
    throw new KubeTargetError("no Kubernetes credentials: set the adapter config key kubeconfig, or KUBECONFIG, or run Paperclip in a pod with a service account");
  }
  return { kubeConfig, source: `default kubeconfig (context ${kubeConfig.getCurrentContext()})`, inCluster: false };
}

/** Parse errors quote the file's lines (credentials among them): report where, never what. */
function loadKubeconfigFile(kubeConfig: KubeConfig, path: string, origin: string): void {
  try {
    kubeConfig.loadFromFile(path);
  } catch (error) {
    // js-yaml says "(line:column)" in its first line; the lines after it quote the file.
    const line = /\((\d+):\d+\)/.exec((error as Error).message.split("\n", 1)[0] ?? "")?.[1];
    throw new KubeTargetError(`the kubeconfig ${path} (${origin}) is not a valid kubeconfig${line ? ` (near line ${line})` : ""}: check it with kubectl --kubeconfig ${path} config view`);
  }
}

function refuseProgramsInAgentKubeconfig(kubeConfig: KubeConfig): void {
  const runsPrograms = kubeConfig.getUsers().filter((user) => user.exec !== undefined || user.authProvider !== undefined);
  if (runsPrograms.length === 0) return;
  const error = new KubeTargetError(
    `the kubeconfig named by the agent config key kubeconfig has ${runsPrograms.length} user(s) with an exec credential plugin or auth provider, ` +
      "which would run a program on the Paperclip server; such kubeconfigs are accepted only from the operator (KUBECONFIG in the server's environment). " +
      "Use a token or client-certificate kubeconfig, or set KUBECONFIG on the server and drop the kubeconfig key.",
  );
  error.code = "k8s_config_forbidden";
  throw error;
}

export class KubeTargetError extends Error {
  code: "k8s_config_invalid" | "k8s_config_forbidden" = "k8s_config_invalid";
}

const runtimes = new Map<string, Promise<RuntimeContext>>();


let shutdownHook: (() => void) | undefined;

/**
 * One runtime (client, watches, heartbeat) per cluster identity per process, shared by all
 * runs. On SIGTERM the heartbeats stop and the owner Leases are given back, so the next
 * process can adopt this one's Jobs at once instead of after the staleness window.
 */
export function runtimeFor(target: KubeTarget): Promise<RuntimeContext> {
  shutdownHook ??= closeOnShutdown(closeRuntimes);
  let runtime = runtimes.get(target.source);
  if (!runtime) {
    // Process-level messages (watch trouble, sweeps) go to the server's log, never into a run's transcript.
    runtime = createRuntimeContext(target.kubeConfig, { log: serverLog().runtimeLog });
    runtime.catch(() => runtimes.delete(target.source));
    runtimes.set(target.source, runtime);
  }
  return runtime;
}

/** Stops every runtime and its sweeps (tests, and a graceful server shutdown). */
export async function closeRuntimes(): Promise<void> {
  shutdownHook?.();
  shutdownHook = undefined;
  const all = [...runtimes.values()];
  runtimes.clear();
  await Promise.all(all.map(async (runtime) => (await runtime).close()));
}
