import type { RunManifests } from "../build-run-manifests.ts";
import type { PodEnvVar } from "../env/env-layering.ts";
import type { SecretManifest } from "../secret.ts";

export function decodeSecret(secret: SecretManifest): Record<string, string> {
  return Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]));
}

export function container(manifests: RunManifests) {
  return manifests.job.spec.template.spec.containers[0];
}

export function envOf(manifests: RunManifests): Map<string, PodEnvVar> {
  return new Map(container(manifests).env.map((entry) => [entry.name, entry]));
}

/** The env value the process would see, resolving our own Secret's references. */
export function resolvedEnv(manifests: RunManifests): Record<string, string | undefined> {
  const data = decodeSecret(manifests.secrets[0]!);
  const out: Record<string, string | undefined> = {};
  for (const entry of container(manifests).env) {
    if ("value" in entry) out[entry.name] = entry.value.replaceAll("$$", "$");
    else {
      const ref = entry.valueFrom.secretKeyRef as { name: string; key: string } | undefined;
      out[entry.name] = ref && ref.name === manifests.names.secret ? data[ref.key] : undefined;
    }
  }
  return out;
}
