import type { KeyPair, Pki } from "./pki.ts";

// Command lines of the four components. Everything binds to 127.0.0.1: the lab must never
// be reachable from another machine. Flags are named in full so a reader can look each up.

const serviceClusterIpRange = "10.96.0.0/16";

export function etcdArgs(o: {
  dataDir: string;
  ports: { etcdClient: number; etcdPeer: number };
  caPath: string;
  serving: KeyPair;
}): string[] {
  const client = `https://127.0.0.1:${o.ports.etcdClient}`;
  // Peer traffic never leaves this single-member cluster; plain HTTP on loopback is enough.
  const peer = `http://127.0.0.1:${o.ports.etcdPeer}`;
  return [
    "--name=lab",
    `--data-dir=${o.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=lab=${peer}`,
    "--initial-cluster-state=new",
    `--cert-file=${o.serving.certPath}`,
    `--key-file=${o.serving.keyPath}`,
    `--trusted-ca-file=${o.caPath}`,
    "--client-cert-auth=true",
    // The lab's data is thrown away at every start; skipping fsync keeps etcd from
    // dominating test latency on slow CI disks.
    "--unsafe-no-fsync=true",
    "--log-level=warn",
  ];
}

export function apiServerArgs(o: {
  port: number;
  etcdPort: number;
  pki: Pki;
  serving: KeyPair;
  etcdClient: KeyPair;
  kubeletClient: KeyPair;
  frontProxyClient: KeyPair;
}): string[] {
  const ca = o.pki.clusterCa.certPath;
  return [
    "--bind-address=127.0.0.1",
    `--secure-port=${o.port}`,
    "--advertise-address=127.0.0.1",
    // Endpoints may not hold a loopback address, so the `kubernetes` Service gets none.
    "--endpoint-reconciler-type=none",
    `--etcd-servers=https://127.0.0.1:${o.etcdPort}`,
    `--etcd-cafile=${ca}`,
    `--etcd-certfile=${o.etcdClient.certPath}`,
    `--etcd-keyfile=${o.etcdClient.keyPath}`,
    `--tls-cert-file=${o.serving.certPath}`,
    `--tls-private-key-file=${o.serving.keyPath}`,
    `--client-ca-file=${ca}`,
    "--authorization-mode=Node,RBAC",
    // On top of the default set (NamespaceLifecycle, ServiceAccount, PodSecurity, ...):
    // NodeRestriction keeps kubelet-sim's node identity as limited as a real kubelet's.
    "--enable-admission-plugins=NodeRestriction,PodSecurity",
    // Privileged pods are allowed cluster-wide, so that only Pod Security admission
    // (a namespace's enforce label) is what rejects them, as on real clusters.
    "--allow-privileged=true",
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${o.pki.serviceAccountPublicKeyPath}`,
    `--service-account-signing-key-file=${o.pki.serviceAccountKeyPath}`,
    // Logs, exec and port-forward go API server -> kubelet-sim over HTTPS: present this
    // client certificate and require kubelet-sim's serving certificate to chain to the lab CA.
    `--kubelet-client-certificate=${o.kubeletClient.certPath}`,
    `--kubelet-client-key=${o.kubeletClient.keyPath}`,
    `--kubelet-certificate-authority=${ca}`,
    "--kubelet-preferred-address-types=InternalIP,Hostname",
    // The fault proxy terminates TLS and forwards the caller's verified identity in these
    // headers, authenticated by its own front-proxy client certificate.
    `--requestheader-client-ca-file=${o.pki.frontProxyCa.certPath}`,
    "--requestheader-allowed-names=front-proxy-client",
    "--requestheader-username-headers=X-Remote-User",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    `--proxy-client-cert-file=${o.frontProxyClient.certPath}`,
    `--proxy-client-key-file=${o.frontProxyClient.keyPath}`,
    "--profiling=false",
    "--v=1",
  ];
}

/** What the controller manager and the scheduler share: identity, loopback serving, one instance. */
function controlLoopArgs(o: { port: number; kubeconfigPath: string }): string[] {
  return [
    `--kubeconfig=${o.kubeconfigPath}`,
    `--authentication-kubeconfig=${o.kubeconfigPath}`,
    `--authorization-kubeconfig=${o.kubeconfigPath}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${o.port}`,
    // One instance: leader election would only delay the first reconcile.
    "--leader-elect=false",
    "--profiling=false",
    "--v=1",
  ];
}

export function controllerManagerArgs(o: { port: number; kubeconfigPath: string; pki: Pki }): string[] {
  return [
    ...controlLoopArgs(o),
    // Every default controller (job, garbage collector, ttl-after-finished, namespace,
    // serviceaccount, serviceaccount-token, node lifecycle, ...), each with its own identity.
    "--controllers=*",
    "--use-service-account-credentials=true",
    // Each controller's own ServiceAccount and token are made at start through the client's
    // rate limiter (20 QPS by default), which alone took ~5 s of the lab's start.
    "--kube-api-qps=200",
    "--kube-api-burst=400",
    `--service-account-private-key-file=${o.pki.serviceAccountKeyPath}`,
    `--root-ca-file=${o.pki.clusterCa.certPath}`,
    // Lets the CSR signer issue certificates chained to the lab CA (kubelet-sim may use it).
    `--cluster-signing-cert-file=${o.pki.clusterCa.certPath}`,
    `--cluster-signing-key-file=${o.pki.clusterCa.keyPath}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
  ];
}

export function schedulerArgs(o: { port: number; kubeconfigPath: string }): string[] {
  return controlLoopArgs(o);
}
