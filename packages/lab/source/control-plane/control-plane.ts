import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type ControlPlaneBinaries, ensureControlPlaneBinaries } from "./binaries.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { type ManagedProcess, startProcess } from "./managed-process.ts";
import { freeLoopbackPort, httpsGet, httpsGetInsecure } from "./network.ts";
import { type KeyPair, type Pki, createPki } from "./pki.ts";
import { waitUntil } from "./wait-until.ts";
import { apiServerArgs, controllerManagerArgs, etcdArgs, schedulerArgs } from "./component-args.ts";

export type StartControlPlaneOptions = {
  /** Everything of this control plane lives here: pki/, etcd/, logs/, *.kubeconfig. Wiped at start. */
  dataDir: string;
  /** "if-missing" builds the binaries on a cold cache (~7 min on 2 cores, progress on stderr). */
  build: "if-missing" | "never";
  /** Start-up progress lines ("etcd ready in 0.4 s"); defaults to none. */
  log?: (line: string) => void;
  /** How long each component may take to become ready. Default 60 s. */
  readyTimeoutMs?: number;
};

export type ControlPlaneComponent = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler";

export type ControlPlane = {
  version: string;
  dataDir: string;
  /** https://127.0.0.1:<port> of the kube-apiserver itself (no fault proxy in between). */
  server: string;
  caPath: string;
  /** cluster-admin (system:masters) straight to the API server. */
  kubeconfigPath: string;
  adminClient: KeyPair;
  pki: Pki;
  binaries: ControlPlaneBinaries;
  ports: Record<"etcdClient" | "etcdPeer" | "apiServer" | "controllerManager" | "scheduler", number>;
  /** The live processes; kube-apiserver's entry changes when it is restarted. */
  processes: Record<ControlPlaneComponent, ManagedProcess>;
  /** Milliseconds from the call to a usable API (readyz + controllers + default ServiceAccount), not counting a build. */
  startupMs: number;
  /** Stops kube-apiserver and starts it again on the same port; resolves when /readyz is ok. */
  restartApiServer(): Promise<void>;
  /** Stops every component (scheduler and controller manager, API server, etcd). Idempotent. */
  stop(): Promise<void>;
};

/** Starts etcd, kube-apiserver, kube-controller-manager and kube-scheduler on loopback. */
export async function startControlPlane(options: StartControlPlaneOptions): Promise<ControlPlane> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const binaries = await ensureControlPlaneBinaries({ build: options.build === "if-missing" });
  const buildDone = Date.now();

  const dataDir = options.dataDir;
  const dirs = { pki: join(dataDir, "pki"), etcd: join(dataDir, "etcd"), logs: join(dataDir, "logs") };
  // A fresh cluster every start: tests must not see objects of an earlier run.
  await Promise.all(Object.values(dirs).map((dir) => rm(dir, { recursive: true, force: true })));
  await mkdir(dirs.logs, { recursive: true });
  await mkdir(dirs.etcd, { recursive: true, mode: 0o700 });

  const pki = await createPki(dirs.pki);
  const cluster = pki.clusterCa;
  const loopback = { ipAddresses: ["127.0.0.1"], dnsNames: ["localhost"] };
  const [apiServing, etcdServing, etcdClient, kubeletClient, frontProxyClient, admin, controllerManager, scheduler] =
    await Promise.all([
      pki.issue(cluster, {
        name: "apiserver",
        commonName: "kube-apiserver",
        usage: "server",
        // 10.96.0.1 is the `kubernetes` Service IP of --service-cluster-ip-range.
        ipAddresses: ["127.0.0.1", "10.96.0.1"],
        dnsNames: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
      }),
      pki.issue(cluster, { name: "etcd-server", commonName: "etcd", usage: "client+server", ...loopback }),
      pki.issue(cluster, { name: "apiserver-etcd-client", commonName: "kube-apiserver-etcd-client", usage: "client" }),
      pki.issue(cluster, { name: "apiserver-kubelet-client", commonName: "kube-apiserver-kubelet-client", usage: "client" }),
      pki.issue(pki.frontProxyCa, { name: "front-proxy-client", commonName: "front-proxy-client", usage: "client" }),
      pki.issue(cluster, { name: "admin", commonName: "lab-admin", organizations: ["system:masters"], usage: "client" }),
      pki.issue(cluster, { name: "controller-manager", commonName: "system:kube-controller-manager", usage: "client" }),
      pki.issue(cluster, { name: "scheduler", commonName: "system:kube-scheduler", usage: "client" }),
    ]);
  log(`certificates ready at ${since()}`);

  const ports = {
    etcdClient: await freeLoopbackPort(),
    etcdPeer: await freeLoopbackPort(),
    apiServer: await freeLoopbackPort(),
    controllerManager: await freeLoopbackPort(),
    scheduler: await freeLoopbackPort(),
  };
  const server = `https://127.0.0.1:${ports.apiServer}`;
  const kubeconfig = (name: string, client: KeyPair, user: string) =>
    writeKubeconfig({ path: join(dataDir, `${name}.kubeconfig`), server, caPath: cluster.certPath, client, name: "claude-k8s-lab", user });
  const [kubeconfigPath, controllerManagerKubeconfig, schedulerKubeconfig] = await Promise.all([
    kubeconfig("admin", admin, "lab-admin"),
    kubeconfig("controller-manager", controllerManager, "system:kube-controller-manager"),
    kubeconfig("scheduler", scheduler, "system:kube-scheduler"),
  ]);

  const processes: Partial<Record<ControlPlaneComponent, ManagedProcess>> = {};
  const stopAll = async () => {
    // Reverse order of dependency: clients of the API server first, etcd last.
    await Promise.all([processes["kube-scheduler"]?.stop(), processes["kube-controller-manager"]?.stop()]);
    await processes["kube-apiserver"]?.stop();
    await processes.etcd?.stop();
  };
  const logPath = (name: string) => join(dirs.logs, `${name}.log`);

  try {
    const etcd = startProcess({
      name: "etcd",
      command: binaries.etcd,
      args: etcdArgs({ dataDir: dirs.etcd, ports, caPath: cluster.certPath, serving: etcdServing }),
      logPath: logPath("etcd"),
    });
    processes.etcd = etcd;
    const etcdTls = { caPath: cluster.certPath, client: etcdClient };
    await waitUntil(
      async () => {
        const answer = await httpsGet(`https://127.0.0.1:${ports.etcdClient}/health`, etcdTls);
        return answer.status === 200 || `HTTP ${answer.status} ${answer.body.slice(0, 200)}`;
      },
      { what: "etcd /health", timeoutMs: readyTimeoutMs, process: etcd },
    );
    log(`etcd ready at ${since()}`);

    const apiArgs = apiServerArgs({
      port: ports.apiServer,
      etcdPort: ports.etcdClient,
      pki,
      serving: apiServing,
      etcdClient,
      kubeletClient,
      frontProxyClient,
    });
    const startApiServer = () =>
      startProcess({ name: "kube-apiserver", command: binaries.kubeApiserver, args: apiArgs, logPath: logPath("kube-apiserver") });
    processes["kube-apiserver"] = startApiServer();

    const adminTls = { caPath: cluster.certPath, client: admin };
    const waitApiReady = (process: ManagedProcess) =>
      waitUntil(
        async () => {
          const answer = await httpsGet(`${server}/readyz`, adminTls);
          return answer.status === 200 || `HTTP ${answer.status}: ${failingChecks(answer.body)}`;
        },
        { what: "kube-apiserver /readyz", timeoutMs: readyTimeoutMs, process },
      );
    await waitApiReady(processes["kube-apiserver"]);
    log(`kube-apiserver ready at ${since()}`);
    // Not earlier: both exit at once if the API server's RBAC bootstrap roles are not
    // there yet (they read kube-system/extension-apiserver-authentication at start).
    processes["kube-controller-manager"] = startProcess({
      name: "kube-controller-manager",
      command: binaries.kubeControllerManager,
      args: controllerManagerArgs({ port: ports.controllerManager, kubeconfigPath: controllerManagerKubeconfig, pki }),
      logPath: logPath("kube-controller-manager"),
    });
    processes["kube-scheduler"] = startProcess({
      name: "kube-scheduler",
      command: binaries.kubeScheduler,
      args: schedulerArgs({ port: ports.scheduler, kubeconfigPath: schedulerKubeconfig }),
      logPath: logPath("kube-scheduler"),
    });

    const healthz = (name: "kube-controller-manager" | "kube-scheduler", port: number) =>
      waitUntil(
        async () => {
          const answer = await httpsGetInsecure(`https://127.0.0.1:${port}/healthz`);
          return answer.status === 200 || `HTTP ${answer.status}`;
        },
        { what: `${name} /healthz`, timeoutMs: readyTimeoutMs, process: processes[name] },
      );
    await Promise.all([healthz("kube-controller-manager", ports.controllerManager), healthz("kube-scheduler", ports.scheduler)]);
    // "Usable" means a pod can be created: the ServiceAccount admission plugin rejects pods
    // until the controller manager has made the namespace's `default` ServiceAccount.
    await waitUntil(
      async () => {
        const answer = await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, adminTls);
        return answer.status === 200 || `HTTP ${answer.status}`;
      },
      { what: "the default ServiceAccount (made by kube-controller-manager)", timeoutMs: readyTimeoutMs, process: processes["kube-controller-manager"] },
    );
    log(`controllers and scheduler ready at ${since()}`);

    const live = processes as Record<ControlPlaneComponent, ManagedProcess>;
    let stopped: Promise<void> | undefined;
    return {
      version: binaries.version,
      dataDir,
      server,
      caPath: cluster.certPath,
      kubeconfigPath,
      adminClient: admin,
      pki,
      binaries,
      ports,
      processes: live,
      startupMs: Date.now() - buildDone,
      async restartApiServer() {
        if (stopped) throw new Error("lab: the control plane is stopped; cannot restart kube-apiserver");
        // On SIGTERM the API server stops listening at once but then waits up to 60 s for
        // open watches to end; 3 s of grace keeps a restart quick and still graceful for
        // every short request.
        await live["kube-apiserver"].stop(3_000);
        live["kube-apiserver"] = startApiServer();
        await waitApiReady(live["kube-apiserver"]);
      },
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The "[-]check failed" lines of a /readyz?verbose-style answer, for the timeout message. */
function failingChecks(body: string): string {
  const failed = body.split("\n").filter((line) => line.startsWith("[-]"));
  return failed.length > 0 ? failed.join("; ") : body.slice(0, 200);
}
