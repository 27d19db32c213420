import { type ApiClient, ApiError, isConflict, isNotFound } from "./api-client.ts";
import { microTime, type NodeSpecOptions, nodeObject, nodeStatus, secondsTime } from "./node-object.ts";

// Registers the Node and keeps it alive the way a kubelet does: the Lease in
// kube-node-lease renewed every 10 s (the node lifecycle controller's main health signal,
// 40 s duration), and the Ready condition's heartbeat refreshed every minute, well
// inside the controller's grace period, so the node is never tainted not-ready.

const leaseDurationSeconds = 40;
const leaseRenewMs = 10_000;
const statusReportMs = 60_000;

export type NodeHeartbeat = { stop(): void };

export async function registerNode(
  api: ApiClient,
  options: NodeSpecOptions,
  log: (line: string) => void,
): Promise<NodeHeartbeat> {
  const name = encodeURIComponent(options.nodeName);
  const registeredAt = secondsTime(Date.now());
  let node: { metadata: { uid: string } } = { metadata: { uid: "" } };
  const register = async () => {
    try {
      node = await api.json("POST", "/api/v1/nodes", { body: nodeObject(options, registeredAt) });
    } catch (error) {
      if (!isConflict(error)) throw registrationError(error, options.nodeName);
      // A node of this name exists (a restarted sim): take it over with fresh status.
      node = await api.json("GET", `/api/v1/nodes/${name}`);
    }
  };
  await register();
  const patchStatus = async () => {
    const body = { status: nodeStatus(options, secondsTime(Date.now()), registeredAt) };
    try {
      await api.json("PATCH", `/api/v1/nodes/${name}/status`, { body, contentType: "application/merge-patch+json" });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // Someone deleted the Node: register again, as a kubelet does.
      log(`kubelet-sim: node ${options.nodeName} was deleted; registering it again`);
      await register();
      await api.json("PATCH", `/api/v1/nodes/${name}/status`, { body, contentType: "application/merge-patch+json" });
    }
  };
  await patchStatus();

  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
  const renewLease = async () => {
    const renewTime = microTime(Date.now());
    try {
      await api.json("PATCH", leasePath, { body: { spec: { renewTime } }, contentType: "application/merge-patch+json" });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await api.json("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", {
        body: {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: {
            name: options.nodeName,
            namespace: "kube-node-lease",
            ownerReferences: [{ apiVersion: "v1", kind: "Node", name: options.nodeName, uid: node.metadata.uid }],
          },
          spec: { holderIdentity: options.nodeName, leaseDurationSeconds, renewTime },
        },
      });
    }
  };
  await renewLease();

  // A failed beat is logged and retried at the next tick: the API server may be restarting.
  const beat = (what: string, fn: () => Promise<unknown>) => () =>
    void fn().catch((error: Error) => log(`kubelet-sim: ${what} failed (retrying): ${error.message}`));
  const leaseTimer = setInterval(beat("lease renewal", renewLease), leaseRenewMs);
  const statusTimer = setInterval(beat("node status update", patchStatus), statusReportMs);
  return {
    stop() {
      clearInterval(leaseTimer);
      clearInterval(statusTimer);
    },
  };
}

function registrationError(error: unknown, nodeName: string): Error {
  if (error instanceof ApiError && error.status === 403) {
    return new Error(
      `kubelet-sim: the API server refused to register node "${nodeName}" (${error.message}). ` +
        `Use a kubeconfig whose client certificate is CN=system:node:${nodeName}, O=system:nodes (createClientIdentity) or an admin one.`,
    );
  }
  return error as Error;
}
