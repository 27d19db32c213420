// @claude-k8s/lab: the local test cluster. The pieces other code uses:
export { startLab, type Lab, type StartLabOptions } from "./lab.ts";
export { startControlPlane, type ControlPlane, type StartControlPlaneOptions } from "./control-plane/control-plane.ts";
export { ensureControlPlaneBinaries, type ControlPlaneBinaries } from "./control-plane/binaries.ts";
export { createClientIdentity, createServingCertificate } from "./control-plane/client-identity.ts";
export { pinnedKubernetesVersion, defaultRunDir, labCacheRoot } from "./control-plane/paths.ts";
export { startFaultProxy, type FaultProxy } from "./fault-proxy/fault-proxy.ts";
export { connectFaultProxy } from "./fault-proxy/client.ts";
export type { FaultProxyControls } from "./fault-proxy/controls.ts";
export type { ErrorRule, LatencyRule, RequestMatch } from "./fault-proxy/faults.ts";
export type { CutKind, ProxyStats } from "./fault-proxy/proxy-server.ts";
export { readLabState, type LabState } from "./lab-state.ts";
export { LAB_PROVISIONER, LAB_STORAGE_CLASS, type LocalProvisioner, startLocalProvisioner } from "./local-provisioner/local-provisioner.ts";
