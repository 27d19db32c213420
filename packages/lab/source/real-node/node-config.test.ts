import { describe, expect, it } from "vitest";
import { cniNetworkList, containerdConfig, kubeletConfig, type NodeLayout } from "./node-config.ts";

const layout: NodeLayout = {
  dir: "/tmp/lab/node",
  containerdSocket: "/tmp/lab/node/containerd/containerd.sock",
  runc: "/cache/node/bin/runc",
  cniBinDir: "/cache/node/cni",
  cniConfDir: "/tmp/lab/node/cni/net.d",
  cniStateDir: "/tmp/lab/node/cni/ipam",
  bridge: "claudelab120",
  subnet: "10.244.120.0/24",
  gateway: "10.244.120.1",
  sandboxImage: "lab.local/pause:1",
  cgroupRoot: "/claude-k8s-lab-120",
};

describe("containerd's config", () => {
  const toml = containerdConfig(layout);
  it("keeps every path of containerd inside the node's directory", () => {
    const paths = [...toml.matchAll(/"(\/[^"]*)"/g)].map((m) => m[1] ?? "");
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(path.startsWith(layout.dir) || path.startsWith("/cache/"), path).toBe(true);
    expect(toml).toContain("netns_mounts_under_state_dir = true");
  });
  it("runs containers with our runc, cgroupfs, and our pause image", () => {
    expect(toml).toContain(`BinaryName = "${layout.runc}"`);
    expect(toml).toContain("SystemdCgroup = false");
    expect(toml).toContain('sandbox = "lab.local/pause:1"');
    expect(toml).toContain(`bin_dirs = ["${layout.cniBinDir}"]`);
  });
});

describe("the CNI network", () => {
  it("is one bridge of the lab's, the host as gateway, no NAT", () => {
    const list = JSON.parse(cniNetworkList(layout));
    const bridge = list.plugins[0];
    expect(bridge).toMatchObject({ type: "bridge", bridge: "claudelab120", isGateway: true, ipMasq: false });
    expect(bridge.ipam).toMatchObject({ type: "host-local", dataDir: layout.cniStateDir, ranges: [[{ subnet: layout.subnet, gateway: layout.gateway }]] });
  });
});

describe("the kubelet's config", () => {
  const config = JSON.parse(
    kubeletConfig({ layout, caPath: "/ca.crt", servingCertPath: "/k.crt", servingKeyPath: "/k.key", port: 40000, healthzPort: 40001, containerLogMaxSize: "1Mi" }),
  );
  it("runs on cgroup v1 with the cgroupfs driver under the lab's own cgroup root", () => {
    expect(config).toMatchObject({ failCgroupV1: false, cgroupDriver: "cgroupfs", cgroupRoot: "/claude-k8s-lab-120" });
  });
  it("serves on the bridge address with a certificate, only to clients of the lab CA", () => {
    expect(config).toMatchObject({ address: "10.244.120.1", port: 40000, readOnlyPort: 0, tlsCertFile: "/k.crt" });
    expect(config.authentication).toEqual({ anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: "/ca.crt" } });
  });
  it("writes pod logs in the node's directory and rotates them at the size asked", () => {
    expect(config).toMatchObject({ podLogsDir: "/tmp/lab/node/pod-logs", containerLogMaxSize: "1Mi" });
    expect(config.containerRuntimeEndpoint).toBe(`unix://${layout.containerdSocket}`);
  });
});
