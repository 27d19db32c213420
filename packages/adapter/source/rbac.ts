import { REQUIRED_PERMISSIONS } from "./test-environment.ts";

/**
 * The least-privilege identity for the adapter in a Job namespace: a ServiceAccount, a Role
 * with exactly the verbs the runtime uses (the same list testEnvironment checks) and the
 * RoleBinding. Nothing cluster-wide: SelfSubjectAccessReview is open to every authenticated
 * user by Kubernetes' default `system:basic-user` ClusterRole.
 */
export function rbacManifests(options: { namespace: string; serviceAccountName?: string; serviceAccountNamespace?: string }) {
  const name = options.serviceAccountName ?? "paperclip-claude-k8s";
  const subjectNamespace = options.serviceAccountNamespace ?? options.namespace;
  const byGroupAndResource = new Map<string, { apiGroups: string[]; resources: string[]; verbs: string[] }>();
  for (const permission of REQUIRED_PERMISSIONS) {
    const resource = permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource;
    const key = `${permission.group}|${permission.verbs.join(",")}`;
    const rule = byGroupAndResource.get(key) ?? { apiGroups: [permission.group], resources: [], verbs: [...permission.verbs] };
    rule.resources.push(resource);
    byGroupAndResource.set(key, rule);
  }
  const serviceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: subjectNamespace } };
  const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace: options.namespace }, rules: [...byGroupAndResource.values()] };
  const binding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace: options.namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: subjectNamespace }],
  };
  return [serviceAccount, role, binding] as const;
}
