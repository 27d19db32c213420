import type { ImagePullPolicy, ResourceRequirements } from "../config/types.ts";
import type { PodEnvVar } from "../env/env-layering.ts";
import { escapeKubeletExpansion } from "../env/kubelet-escape.ts";
import { ManifestError, ManifestErrorCode } from "../errors.ts";
import type { VolumeMount } from "../job.ts";
import type { containerSecurityContext } from "../security-context.ts";
import type { CheckoutPlan } from "./agent-volume-layout.ts";
import { TERMINATION_MESSAGE_PATH } from "../result-tap.ts";

/** The init container that brings a project's repository into the agent's volume. */
export const CHECKOUT_CONTAINER = "checkout";
/** Every line the checkout writes starts so (its log, and the termination message of a failure). */
export const CHECKOUT_LOG_PREFIX = "claude-k8s checkout:";

const URL_FORMS = [/^(https?|git|ssh):\/\/[^\s/]+(\/\S*)?$/, /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+$/];
const REF = /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/;

/**
 * A repository address git may clone without running anything (`ext::`, `--upload-pack` and
 * other option look-alikes are refused) and without a password in it (credentials come from
 * `gitCredentialsSecret`, never from the spec).
 */
export function checkRepositoryUrl(url: string): string {
  const trimmed = url.trim();
  if (!URL_FORMS.some((form) => form.test(trimmed))) {
    throw new ManifestError(
      ManifestErrorCode.gitCheckoutFailed,
      `the project workspace's repository ${JSON.stringify(trimmed.slice(0, 200))} is not a URL the pod can clone (https://, http://, git://, ssh:// or user@host:path); fix the repository URL of the project workspace in Paperclip`,
    );
  }
  if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(trimmed)) {
    throw new ManifestError(
      ManifestErrorCode.gitCheckoutFailed,
      "the project workspace's repository URL holds a password: it would stand in the pod spec; remove it from the URL and put the credentials in the Secret named by gitCredentialsSecret",
    );
  }
  return trimmed;
}

/** A branch, tag or commit name that cannot be taken for an option or walk out of refs/. */
export function checkGitRef(what: string, ref: string): string {
  const trimmed = ref.trim();
  if (!REF.test(trimmed) || trimmed.includes("..") || trimmed.endsWith("/") || trimmed.endsWith(".lock") || trimmed.includes("//")) {
    throw new ManifestError(
      ManifestErrorCode.gitCheckoutFailed,
      `${what} ${JSON.stringify(trimmed.slice(0, 200))} is not a git branch, tag or commit name; fix it in the project workspace in Paperclip`,
    );
  }
  return trimmed;
}

export interface CheckoutContainerInput {
  plan: CheckoutPlan;
  image: string;
  imagePullPolicy: ImagePullPolicy;
  home: string;
  /** The agent volume's mount (the checkout lands inside it). */
  volumeMount: VolumeMount;
  /** Secret of the Job namespace with `username` and `password` (a token) for the repository. */
  credentialsSecret?: string;
  resources: ResourceRequirements;
  securityContext: ReturnType<typeof containerSecurityContext>;
}

/**
 * Clones the repository at the ref Paperclip chose into the agent's volume, or, when the
 * checkout is already there from an earlier run, fetches without touching the agent's branch
 * and changes. Values reach the script as environment variables, never spliced into it;
 * the credentials only by secretKeyRef. A failure ends the container with one line naming
 * the cause and the fix, which the pod status carries to the run result.
 */
export function buildCheckoutContainer(input: CheckoutContainerInput) {
  const env: PodEnvVar[] = [
    { name: "HOME", value: input.home },
    { name: "GIT_TERMINAL_PROMPT", value: "0" },
    { name: "CK_URL", value: checkRepositoryUrl(input.plan.repoUrl) },
    { name: "CK_REF", value: input.plan.repoRef === undefined ? "" : checkGitRef("repository ref", input.plan.repoRef) },
    { name: "CK_BRANCH", value: input.plan.branchName === undefined ? "" : checkGitRef("branch", input.plan.branchName) },
    { name: "CK_DIR", value: input.plan.dir },
    ...(input.credentialsSecret === undefined
      ? []
      : [
          { name: "GIT_USERNAME", valueFrom: { secretKeyRef: { name: input.credentialsSecret, key: "username", optional: true } } },
          { name: "GIT_PASSWORD", valueFrom: { secretKeyRef: { name: input.credentialsSecret, key: "password" } } },
        ]),
  ];
  return {
    name: CHECKOUT_CONTAINER,
    image: input.image,
    imagePullPolicy: input.imagePullPolicy,
    command: ["/bin/sh", "-c", escapeKubeletExpansion(CHECKOUT_SCRIPT)],
    args: [],
    workingDir: input.volumeMount.mountPath,
    env: env.map((entry) => ("value" in entry ? { name: entry.name, value: escapeKubeletExpansion(entry.value) } : entry)),
    resources: input.resources,
    volumeMounts: [input.volumeMount],
    securityContext: input.securityContext,
    terminationMessagePath: TERMINATION_MESSAGE_PATH,
    terminationMessagePolicy: "FallbackToLogsOnError" as const,
  };
}

const CHECKOUT_SCRIPT = `set -u
say() { printf '${CHECKOUT_LOG_PREFIX} %s\\n' "$1" >&2; printf '${CHECKOUT_LOG_PREFIX} %s\\n' "$1" > /dev/termination-log 2>/dev/null; }
fail() { say "$1"; exit 1; }
err=$(mktemp) || fail "cannot make a temporary file"
askpass=""
trap 'rm -f "$err" "$askpass"' EXIT
if [ -n "\${GIT_PASSWORD:-}" ]; then
  askpass=$(mktemp) && printf '#!/bin/sh\\ncase "$1" in Username*) printf "%%s" "\${GIT_USERNAME:-git}";; *) printf "%%s" "$GIT_PASSWORD";; esac\\n' > "$askpass" && chmod 700 "$askpass" || fail "cannot write the credential helper in a temporary file"
  export GIT_ASKPASS="$askpass"
  creds="the credentials from gitCredentialsSecret"
else
  creds="no credentials (gitCredentialsSecret is not set)"
fi
explain() {
  if grep -qiE 'authentication failed|could not read (username|password)|permission denied|returned error: 40[13]|access denied|invalid credentials' "$err"; then
    fail "$CK_URL refused $creds; fix: set gitCredentialsSecret to a Secret of the Job namespace whose username and password (a token) may read the repository"
  fi
  fail "cannot $1 $CK_URL: $(grep -v '^Cloning' "$err" | tail -n 2 | tr '\\n' ' ')fix: check the repository URL of the project workspace and that the cluster reaches it"
}
mkdir -p "$HOME" "$(dirname "$CK_DIR")" || fail "cannot make $HOME on the agent's volume"
if [ -d "$CK_DIR/.git" ]; then
  git -C "$CK_DIR" fetch --prune origin 2>"$err" || explain fetch
  echo "${CHECKOUT_LOG_PREFIX} fetched $CK_URL into $CK_DIR (the agent's branch and changes are kept)"
  exit 0
fi
rm -rf "$CK_DIR.partial"
git clone --quiet --no-checkout -- "$CK_URL" "$CK_DIR.partial" 2>"$err" || explain clone
cd "$CK_DIR.partial" || fail "cannot enter the new checkout"
target=HEAD
if [ -n "$CK_REF" ]; then
  if git rev-parse -q --verify "refs/remotes/origin/$CK_REF^{commit}" >/dev/null; then target="origin/$CK_REF"
  elif git rev-parse -q --verify "$CK_REF^{commit}" >/dev/null; then target="$CK_REF"
  else rm -rf "$CK_DIR.partial"; fail "ref $CK_REF does not exist in $CK_URL; fix: set the project workspace's ref to an existing branch, tag or commit"
  fi
fi
if [ -n "$CK_BRANCH" ]; then
  if git rev-parse -q --verify "refs/remotes/origin/$CK_BRANCH" >/dev/null; then git checkout -q -B "$CK_BRANCH" "origin/$CK_BRANCH"
  else git checkout -q -B "$CK_BRANCH" "$target"
  fi
elif [ "$target" = "origin/$CK_REF" ]; then git checkout -q -B "$CK_REF" "$target"
else git checkout -q "$target"
fi 2>"$err" || fail "cannot check out $target: $(tail -n 2 "$err" | tr '\\n' ' ')"
cd / && mv "$CK_DIR.partial" "$CK_DIR" || fail "cannot move the checkout into place"
echo "${CHECKOUT_LOG_PREFIX} cloned $CK_URL at \${CK_REF:-the default branch} into $CK_DIR"
`;
