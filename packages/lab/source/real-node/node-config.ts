// The real node's configuration files, as pure functions of its layout: containerd's
// config.toml, the CNI network list and the KubeletConfiguration. Every path the
// components would otherwise take from /var, /run, /etc or /opt is pointed into the
// node's own directory, so two labs on one machine do not meet and `stop` can remove all.

export type NodeLayout = {
  /** The node's directory (containerd root/state, kubelet root, pod logs, CNI state). */
  dir: string;
  containerdSocket: string;
  runc: string;
  cniBinDir: string;
  cniConfDir: string;
  /** host-local IPAM's lease files. */
  cniStateDir: string;
  /** The Linux bridge the pods hang on, e.g. "claudelab120"; owned by this lab. */
  bridge: string;
  /** The pod subnet, e.g. "10.244.120.0/24"; its .1 is the bridge's (the host's) address. */
  subnet: string;
  gateway: string;
  sandboxImage: string;
  /** Every cgroup of the node's pods lives under this one (cgroup v1, cgroupfs driver). */
  cgroupRoot: string;
};

export function containerdConfig(layout: NodeLayout): string {
  const q = (s: string) => JSON.stringify(s);
  return `# Written by the lab for its real node; see packages/lab/source/real-node/node-config.ts.
version = 4
root = ${q(`${layout.dir}/containerd/root`)}
state = ${q(`${layout.dir}/containerd/state`)}
temp = ${q(`${layout.dir}/containerd/tmp`)}
# Nothing from the machine's /etc/containerd.
imports = []

[plugins]
  [plugins.'io.containerd.server.v1.grpc']
    address = ${q(layout.containerdSocket)}

  [plugins.'io.containerd.server.v1.ttrpc']
    address = ${q(`${layout.containerdSocket}.ttrpc`)}

  [plugins.'io.containerd.internal.v1.opt']
    path = ${q(`${layout.dir}/containerd/opt`)}

  # No NRI socket under /var/run: nothing here uses NRI.
  [plugins.'io.containerd.nri.v1.nri']
    disable = true

  [plugins.'io.containerd.grpc.v1.cri']
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"

  [plugins.'io.containerd.cri.v1.images']
    snapshotter = "overlayfs"
    # Images come from OCI archives imported with ctr; never pull what is there.
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = ${q(layout.sandboxImage)}
    # Every registry is a loopback port with nothing listening (certs.d/_default/hosts.toml):
    # a missing image fails to pull at once, and no pull ever leaves the machine.
    [plugins.'io.containerd.cri.v1.images'.registry]
      config_path = ${q(`${layout.dir}/containerd/certs.d`)}

  [plugins.'io.containerd.cri.v1.runtime']
    # Network namespaces under the state dir, not /var/run/netns: removed with the node.
    netns_mounts_under_state_dir = true
    cdi_spec_dirs = []
    # The kubelet asks -998 for sandboxes; lowering a score needs CAP_SYS_RESOURCE, which a
    # lab machine that is itself a container may lack: clamp to containerd's own score.
    restrict_oom_score_adj = true
    enable_selinux = false
    disable_apparmor = true
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = "runc"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = ${q(layout.runc)}
          # cgroup v1 with the kubelet's cgroupfs driver (no systemd here).
          SystemdCgroup = false
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = [${q(layout.cniBinDir)}]
      conf_dir = ${q(layout.cniConfDir)}
      max_conf_num = 1
`;
}

/** certs.d/_default/hosts.toml: where containerd pulls from, for every registry. */
export const unreachableRegistry = "127.0.0.1:1";
export function registryHostsToml(): string {
  return `# Written by the lab: no registry is reachable from here, and none may be tried.
server = "http://${unreachableRegistry}"

[host."http://${unreachableRegistry}"]
  capabilities = ["pull", "resolve"]
`;
}

/** The pod network: one bridge with the host as gateway; no masquerading, nothing forwarded out. */
export function cniNetworkList(layout: NodeLayout): string {
  return `${JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: "claude-k8s-lab",
      plugins: [
        {
          type: "bridge",
          bridge: layout.bridge,
          isGateway: true,
          // Pods talk to the host (the model server on the gateway address) and each other;
          // no NAT rule, so no iptables state to leave behind and no way out of the machine.
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: layout.subnet, gateway: layout.gateway }]],
            routes: [{ dst: "0.0.0.0/0" }],
            dataDir: layout.cniStateDir,
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

export type KubeletSettings = {
  layout: NodeLayout;
  caPath: string;
  servingCertPath: string;
  servingKeyPath: string;
  port: number;
  healthzPort: number;
  /** Rotate container logs at this size (kubelet default 10Mi). */
  containerLogMaxSize?: string;
  containerLogMaxFiles?: number;
};

export function kubeletConfig(settings: KubeletSettings): string {
  const { layout } = settings;
  const config = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    // This machine has cgroup v1 only; kubelets since 1.35 refuse it unless told.
    failCgroupV1: false,
    cgroupDriver: "cgroupfs",
    cgroupRoot: layout.cgroupRoot,
    containerRuntimeEndpoint: `unix://${layout.containerdSocket}`,
    address: layout.gateway,
    port: settings.port,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: settings.healthzPort,
    // Only the API server (a client certificate from the lab CA) talks to the kubelet.
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: settings.caPath } },
    authorization: { mode: "AlwaysAllow" },
    tlsCertFile: settings.servingCertPath,
    tlsPrivateKeyFile: settings.servingKeyPath,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    podLogsDir: `${layout.dir}/pod-logs`,
    containerLogMaxSize: settings.containerLogMaxSize ?? "10Mi",
    containerLogMaxFiles: settings.containerLogMaxFiles ?? 5,
    failSwapOn: false,
    // A shared build machine's disk is often fuller than a node's defaults allow.
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "nodefs.inodesFree": "1%", "imagefs.available": "1%" },
    // Imported images cannot be pulled again: never collect them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    registerNode: true,
    resolvConf: "",
    enforceNodeAllocatable: ["pods"],
    nodeStatusReportFrequency: "10s",
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
