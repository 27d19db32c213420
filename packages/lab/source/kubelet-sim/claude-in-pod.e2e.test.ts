import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../model-server/model-server.ts";
import { text } from "../model-server/steps.ts";
import { adminClients, labAgentImage } from "../test-support/lab-client.ts";
import { createPodNamespace, podUntil } from "./test-utils/pods.ts";

// The end-to-end check of the whole lab: the real Claude Code CLI runs in a pod
// on kubelet-sim as uid 1000, talks to the scripted model server, and its stream-json
// comes back through the API server's pods/log (the path `kubectl logs` takes).

describe("the real Claude Code CLI in a lab pod", () => {
  const { core } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  let model: ModelServer;
  beforeAll(async () => {
    ns = await createPodNamespace("sim-claude");
    model = await startModelServer({ script: [text("hello from the scripted model")] });
  });
  afterAll(async () => {
    await model?.close();
    await ns?.remove();
  });

  it("runs as uid 1000 with its prompt from a Secret volume; stream-json comes back through pods/log", async () => {
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "run-1" }, stringData: { prompt: "Say hello.", "api-key": "sk-ant-scripted" } },
    });
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "claude" },
        spec: {
          restartPolicy: "Never",
          securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000 },
          volumes: [
            { name: "prompt", secret: { secretName: "run-1", items: [{ key: "prompt", path: "prompt" }], defaultMode: 0o440 } },
            { name: "home", emptyDir: {} },
            { name: "workspace", emptyDir: {} },
          ],
          containers: [
            {
              name: "claude",
              // The lab's agent image: claude and node staged where uid 1000 reaches them.
              image: labAgentImage(),
              // As the adapter's manifest does: exec claude with the prompt on stdin, so the
              // container's exit status is claude's own (no pipefail in dash).
              command: ["sh", "-c", 'id -u > /dev/termination-log; exec "$@" < /tmp/prompt/prompt', "claude"],
              args: ["claude", "--print", "-", "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"],
              workingDir: "/workspace",
              env: [
                { name: "HOME", value: "/home/claude" },
                { name: "CLAUDE_CONFIG_DIR", value: "/home/claude/.claude" },
                { name: "ANTHROPIC_BASE_URL", value: model.url },
                { name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "run-1", key: "api-key" } } },
                { name: "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", value: "1" },
                { name: "DISABLE_AUTOUPDATER", value: "1" },
                { name: "CLAUDE_CODE_MAX_RETRIES", value: "1" },
              ],
              volumeMounts: [
                { name: "prompt", mountPath: "/tmp/prompt" },
                { name: "home", mountPath: "/home/claude" },
                { name: "workspace", mountPath: "/workspace" },
              ],
            },
          ],
        },
      },
    });
    const status = await podUntil(
      ns.name,
      "claude",
      "the claude pod to finish",
      (pod) => (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" ? pod.status : undefined),
      120_000,
    );
    const log = await core.readNamespacedPodLog({ name: "claude", namespace: ns.name, container: "claude" });
    expect(status.phase, log).toBe("Succeeded");
    expect(status.containerStatuses?.[0]?.state?.terminated?.message).toBe("1000\n");
    const events = log
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { type: string; subtype?: string; is_error?: boolean; result?: string; cwd?: string });
    expect(events.find((e) => e.type === "system" && e.subtype === "init")?.cwd).toBe("/workspace");
    expect(events.at(-1)).toMatchObject({ type: "result", is_error: false, result: "hello from the scripted model" });
    expect(model.scriptedRequests().length).toBe(1);
  });
});
