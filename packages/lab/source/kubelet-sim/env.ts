import { type NodeFacts, resolveFieldPath, resolveResourceField } from "./field-ref.ts";
import type { ConfigMap, Container, Pod, Secret } from "./types.ts";

// A container's environment, resolved the way the kubelet does it: envFrom sources first,
// then env entries in order, each value expanded with $(NAME) against what came before.

/** Reads a Secret/ConfigMap of the pod's namespace; undefined when it does not exist. */
export type ObjectLookups = {
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
};

/** A pod configuration problem: the container waits in CreateContainerConfigError with this message. */
export class ContainerConfigError extends Error {
  override name = "ContainerConfigError";
}

const validEnvName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function resolveEnv(
  pod: Pod,
  container: Container,
  lookups: ObjectLookups,
  node: NodeFacts,
  base: Record<string, string> = {},
): Promise<Record<string, string>> {
  const namespace = pod.metadata.namespace ?? "default";
  const env: Record<string, string> = { ...base };
  // One read per object per resolution: envFrom and several keyRefs often name the same Secret.
  const secrets = new Map<string, Promise<Secret | undefined>>();
  const configMaps = new Map<string, Promise<ConfigMap | undefined>>();
  const secret = (name: string) => {
    if (!secrets.has(name)) secrets.set(name, lookups.secret(namespace, name));
    return secrets.get(name) as Promise<Secret | undefined>;
  };
  const configMap = (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, lookups.configMap(namespace, name));
    return configMaps.get(name) as Promise<ConfigMap | undefined>;
  };

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    if (source.secretRef) {
      const found = await secret(source.secretRef.name);
      if (!found) {
        if (source.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${source.secretRef.name}" not found`);
      }
      for (const [key, value] of Object.entries(secretData(found))) {
        if (validEnvName.test(prefix + key)) env[prefix + key] = value;
      }
    }
    if (source.configMapRef) {
      const found = await configMap(source.configMapRef.name);
      if (!found) {
        if (source.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${source.configMapRef.name}" not found`);
      }
      for (const [key, value] of Object.entries(found.data ?? {})) {
        if (validEnvName.test(prefix + key)) env[prefix + key] = value;
      }
    }
  }

  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      env[variable.name] = expandReferences(variable.value ?? "", env);
      continue;
    }
    if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const found = await secret(ref.name);
      if (!found) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`secret "${ref.name}" not found`);
      }
      const value = secretData(found)[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`);
      }
      env[variable.name] = value;
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const found = await configMap(ref.name);
      if (!found) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`configmap "${ref.name}" not found`);
      }
      const value = found.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`);
      }
      env[variable.name] = value;
    } else if (from.fieldRef) {
      env[variable.name] = orConfigError(resolveFieldPath(pod, from.fieldRef.fieldPath, node));
    } else if (from.resourceFieldRef) {
      env[variable.name] = orConfigError(resolveResourceField(pod, container, from.resourceFieldRef, node));
    }
  }
  return env;
}

function orConfigError(value: string | Error): string {
  if (value instanceof Error) throw new ContainerConfigError(value.message);
  return value;
}

/** A Secret's values as text (the API sends `data` base64-encoded). */
export function secretData(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) out[key] = Buffer.from(value, "base64").toString("utf8");
  return { ...out, ...secret.stringData };
}

/**
 * Kubernetes' $(VAR) expansion (used for env values, command and args): `$(NAME)` becomes
 * the value when NAME is defined, else stays as written; `$$` escapes a dollar.
 */
export function expandReferences(text: string, vars: Record<string, string>): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "$" || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(") {
      const close = text.indexOf(")", i + 2);
      if (close === -1) {
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, close);
      out += Object.hasOwn(vars, name) ? vars[name] : text.slice(i, close + 1);
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}
