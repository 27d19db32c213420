import { release } from "node:os";

// The Node kubelet-sim registers and the status it keeps fresh. Capacity is what the
// scheduler fits pods into; allocatable equals capacity (no system reservations here).

export type NodeResources = { cpu: string; memory: string; pods: string; "ephemeral-storage"?: string };

export type NodeSpecOptions = {
  nodeName: string;
  /** The HTTPS port of the sim's kubelet API (logs): the API server reads it from daemonEndpoints. */
  kubeletPort: number;
  capacity: NodeResources;
  labels?: Record<string, string>;
  /** Reported as nodeInfo.kubeletVersion; the API server's own version keeps version-skew checks quiet. */
  kubeletVersion: string;
};

const conditionTypes = [
  ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
  ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
  ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
  ["Ready", "True", "KubeletReady", "kubelet-sim is posting ready status"],
] as const;

export function nodeStatus(options: NodeSpecOptions, now: string, since: string) {
  const capacity = { "ephemeral-storage": "100Gi", ...options.capacity };
  return {
    capacity,
    allocatable: capacity,
    conditions: conditionTypes.map(([type, status, reason, message]) => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: since,
    })),
    addresses: [
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: options.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: options.kubeletPort } },
    nodeInfo: {
      machineID: "kubelet-sim",
      systemUUID: "kubelet-sim",
      bootID: "kubelet-sim",
      kernelVersion: release(),
      osImage: "kubelet-sim (local processes)",
      containerRuntimeVersion: "kubelet-sim://1",
      kubeletVersion: options.kubeletVersion,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: process.arch === "arm64" ? "arm64" : "amd64",
    },
  };
}

export function nodeObject(options: NodeSpecOptions, now: string) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: options.nodeName,
      labels: {
        "kubernetes.io/hostname": options.nodeName,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": process.arch === "arm64" ? "arm64" : "amd64",
        "claude-k8s.dev/kubelet-sim": "true",
        ...options.labels,
      },
    },
    spec: {},
    status: nodeStatus(options, now, now),
  };
}

/** MicroTime, as Lease.spec.renewTime wants it: RFC 3339 with exactly 6 fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Time with seconds precision, as metav1.Time serializes. */
export function secondsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
