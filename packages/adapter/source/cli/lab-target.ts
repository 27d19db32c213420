import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { UsageError } from "./args.ts";

/** Where `./dev lab up` records the running lab (the lab package's state.json contract). */
export function labStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.CLAUDE_K8S_LAB_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "claude-k8s", "lab", "run");
  return path.join(dir, "state.json");
}

export interface LabTarget {
  kubeconfigPath: string;
  proxiedKubeconfigPath: string;
  faultProxyControl?: unknown;
}

/** The running lab's kubeconfigs, or a usage error saying how to start it. */
export function labTarget(env: NodeJS.ProcessEnv = process.env): LabTarget {
  const file = labStatePath(env);
  if (!existsSync(file)) throw new UsageError(`--lab: no lab is running (no ${file}); start one with ./dev lab up`);
  const state = JSON.parse(readFileSync(file, "utf8")) as LabTarget & { ownerPid?: number };
  if (state.ownerPid !== undefined) {
    try {
      process.kill(state.ownerPid, 0);
    } catch {
      throw new UsageError(`--lab: the lab recorded in ${file} is not running any more; start it with ./dev lab up`);
    }
  }
  return state;
}
