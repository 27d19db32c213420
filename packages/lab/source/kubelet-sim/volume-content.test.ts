import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NodeFacts } from "./field-ref.ts";
import type { Pod, Volume } from "./types.ts";
import { prepareVolumes, refreshServiceAccountTokens, tokenRefreshDelayMs, VolumeSetupError, type VolumeSources } from "./volume-content.ts";

const node: NodeFacts = { hostIP: "127.0.0.1", podIP: "127.0.0.1", allocatable: { cpu: 2, memory: 2 ** 33 } };
const b64 = (text: string) => Buffer.from(text).toString("base64");
const tokenRequests: Array<{ audience?: string; expirationSeconds: number }> = [];
const sources: VolumeSources = {
  async secret(_namespace, name) {
    return name === "creds" ? { metadata: { name, uid: "s" }, data: { token: b64("s3cret"), other: b64("x") } } : undefined;
  },
  async configMap(_namespace, name) {
    return name === "kube-root-ca.crt" ? { metadata: { name, uid: "c" }, data: { "ca.crt": "CERT" } } : undefined;
  },
  async serviceAccountToken(_pod, request) {
    tokenRequests.push(request);
    return "jwt";
  },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "volumes-"));
  tokenRequests.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pod = (volumes: Volume[], fsGroup?: number): Pod => ({
  metadata: { name: "p", namespace: "team", uid: "u" },
  spec: { containers: [], volumes, securityContext: fsGroup === undefined ? {} : { fsGroup } },
});
const paths = () => ({ podDir: join(dir, "pod"), claimsDir: join(dir, "pvc") });
const mode = (path: string) => statSync(path).mode & 0o777;

describe("prepareVolumes", () => {
  it("writes Secret items with their modes and the group of fsGroup", async () => {
    await prepareVolumes(
      pod([{ name: "creds", secret: { secretName: "creds", defaultMode: 0o400, items: [{ key: "token", path: "nested/token" }] } }], 1000),
      paths(),
      sources,
      node,
    );
    const file = join(dir, "pod/volumes/secret/creds/nested/token");
    expect(readFileSync(file, "utf8")).toBe("s3cret");
    expect(mode(file)).toBe(0o440); // group-readable for fsGroup, like the kubelet
    expect(statSync(file).gid).toBe(1000);
  });

  it("builds the projected service-account volume: token, CA bundle and namespace", async () => {
    await prepareVolumes(
      pod([
        {
          name: "kube-api-access",
          projected: {
            defaultMode: 0o644,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
            ],
          },
        },
      ]),
      paths(),
      sources,
      node,
    );
    const volume = join(dir, "pod/volumes/projected/kube-api-access");
    expect(["token", "ca.crt", "namespace"].map((f) => readFileSync(join(volume, f), "utf8"))).toEqual(["jwt", "CERT", "team"]);
    expect(tokenRequests).toEqual([{ audience: undefined, expirationSeconds: 3607 }]);
  });

  it("makes emptyDir and claim directories writable by any user", async () => {
    await prepareVolumes(
      pod([
        { name: "scratch", emptyDir: {} },
        { name: "work", persistentVolumeClaim: { claimName: "workspace" } },
      ]),
      paths(),
      sources,
      node,
    );
    expect(mode(join(dir, "pod/volumes/empty-dir/scratch"))).toBe(0o777);
    expect(mode(join(dir, "pvc/team/workspace"))).toBe(0o777);
  });

  it("fails like the kubelet's MountVolume.SetUp for a missing Secret or key, but not an optional one", async () => {
    const setUp = (volume: Volume) => prepareVolumes(pod([volume]), paths(), sources, node);
    await expect(setUp({ name: "v", secret: { secretName: "gone" } })).rejects.toThrow(
      new VolumeSetupError('MountVolume.SetUp failed for volume "v" : secret "gone" not found'),
    );
    await expect(setUp({ name: "v", secret: { secretName: "creds", items: [{ key: "nope", path: "x" }] } })).rejects.toThrow(
      "references non-existent secret key: nope",
    );
    await expect(setUp({ name: "v", secret: { secretName: "gone", optional: true } })).resolves.toBeUndefined();
  });
});

describe("service-account token refresh", () => {
  const projected = (expirationSeconds?: number): Volume => ({
    name: "kube-api-access",
    projected: { sources: [{ serviceAccountToken: { path: "token", ...(expirationSeconds ? { expirationSeconds } : {}) } }] },
  });

  it("is due at 80% of the shortest token lifetime", () => {
    expect(tokenRefreshDelayMs(pod([projected(600), { ...projected(), name: "other" }]))).toBe(480_000);
    expect(tokenRefreshDelayMs(pod([{ name: "scratch", emptyDir: {} }]))).toBeUndefined();
  });

  it("rewrites the token file in place, keeping the directory a bind mount points at", async () => {
    const p = pod([projected(600)]);
    await prepareVolumes(p, paths(), sources, node);
    const file = join(dir, "pod/volumes/projected/kube-api-access/token");
    const before = statSync(join(dir, "pod/volumes/projected/kube-api-access")).ino;
    await refreshServiceAccountTokens(p, paths(), { ...sources, serviceAccountToken: async () => "jwt-2" });
    expect(readFileSync(file, "utf8")).toBe("jwt-2");
    expect(statSync(join(dir, "pod/volumes/projected/kube-api-access")).ino).toBe(before);
  });
});
