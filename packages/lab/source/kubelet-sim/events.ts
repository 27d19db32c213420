import { randomBytes } from "node:crypto";
import type { ApiClient } from "./api-client.ts";
import type { Pod } from "./types.ts";

// The kubelet's Events about a pod (Pulling, Pulled, Created, Started, Killing, Failed,
// BackOff, FailedMount), so `kubectl describe pod` and event-reading tools see what they
// would on a real node. Fire-and-forget: an event that cannot be written is logged once,
// never a reason to fail a pod.

export type PodEvent = {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** The container the event is about (involvedObject.fieldPath). */
  container?: { name: string; init: boolean };
};

export type EventRecorder = (pod: Pod, event: PodEvent) => void;

export function createEventRecorder(api: ApiClient, nodeName: string, log: (line: string) => void): EventRecorder {
  let warned = false;
  return (pod, event) => {
    const namespace = pod.metadata.namespace ?? "default";
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const fieldPath = event.container
      ? `spec.${event.container.init ? "initContainers" : "containers"}{${event.container.name}}`
      : undefined;
    const body = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString("hex")}`, namespace },
      involvedObject: { apiVersion: "v1", kind: "Pod", namespace, name: pod.metadata.name, uid: pod.metadata.uid, ...(fieldPath ? { fieldPath } : {}) },
      type: event.type,
      reason: event.reason,
      message: event.message,
      source: { component: "kubelet", host: nodeName },
      reportingComponent: "kubelet",
      reportingInstance: nodeName,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    api.json("POST", `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { body }).catch((error: Error) => {
      if (warned) return;
      warned = true;
      log(`kubelet-sim: could not record events (further failures not logged): ${error.message}`);
    });
  };
}
