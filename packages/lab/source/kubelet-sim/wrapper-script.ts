import type { PlannedMount } from "./volume-plan.ts";

// The shell script that turns a host process into a "container". It runs as PID 1 of a
// fresh PID and mount namespace (unshare -m -p --fork --mount-proc --propagation private),
// still as root: it joins the container's cgroup, bind-mounts the volumes (private to this
// namespace, so the host and other pods never see them), enters the working directory and
// finally execs the container's command through setpriv as the pod's user. The command and
// its arguments arrive as "$@", so nothing of them is ever parsed by a shell.
//
// File descriptors: 1 is the container's stdout, 3 its stderr, 2 the runtime's own error
// channel (setup failures land there, never in the container's log). fd 2 becomes the
// container's stderr right before the final exec.

export type WrapperOptions = {
  /** Named in a comment at the top, for whoever reads the generated file. */
  description: string;
  mounts: readonly PlannedMount[];
  /** cgroup.procs of the container's cgroup, when the node has one for it. */
  cgroupProcsPath?: string;
  workingDir: string;
  uid: number;
  gid: number;
  supplementalGroups: readonly number[];
};

/** POSIX single-quoting: safe for any byte string except NUL. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function wrapperScript(options: WrapperOptions): string {
  const q = shellQuote;
  const lines = [
    "#!/bin/sh",
    `# kubelet-sim container wrapper: ${options.description.replaceAll("\n", " ")}`,
    "setup_failed() { echo \"$1\" >&2; exit 128; }",
    "bind_volume() {",
    "  # $1 host source, $2 target in the container, $3 ro|rw",
    '  [ -e "$1" ] || mkdir -p "$1" || setup_failed "cannot create the volume directory $1"',
    '  if [ -d "$1" ]; then mkdir -p "$2" 2>/dev/null || setup_failed "cannot create mount point $2 (a directory)"',
    '  else mkdir -p "$(dirname "$2")" && { [ -e "$2" ] || : > "$2"; } || setup_failed "cannot create mount point $2 (a file)"; fi',
    '  mount --bind "$1" "$2" || setup_failed "bind mount of $1 at $2 failed"',
    '  if [ "$3" = ro ]; then mount -o remount,bind,ro "$2" || setup_failed "read-only remount of $2 failed"; fi',
    "}",
  ];
  if (options.cgroupProcsPath) {
    lines.push(`echo 0 > ${q(options.cgroupProcsPath)} || setup_failed ${q(`cannot join cgroup ${options.cgroupProcsPath}`)}`);
  }
  for (const mount of options.mounts) {
    lines.push(`bind_volume ${q(mount.source)} ${q(mount.target)} ${mount.readOnly ? "ro" : "rw"}`);
  }
  lines.push(
    `mkdir -p ${q(options.workingDir)} && cd ${q(options.workingDir)} || setup_failed ${q(`cannot enter workingDir ${options.workingDir}`)}`,
  );
  const groups =
    options.supplementalGroups.length > 0 ? `--groups=${[...new Set(options.supplementalGroups)].join(",")}` : "--clear-groups";
  const asPodUser = `setpriv --reuid=${options.uid} --regid=${options.gid} ${groups}`;
  lines.push(
    // What a runtime reports as a StartError, checked here where the container's PATH and mounts apply.
    'resolved=$(command -v "$1" 2>/dev/null) || setup_failed "exec: \\"$1\\": executable file not found in \\$PATH"',
    // Found as root, but the pod's user may not reach it (a parent directory it cannot
    // search, say a checkout under /root): say so instead of a bare exit 126 from setpriv.
    ...(options.uid === 0
      ? []
      : [
          `case "$resolved" in /*) ${asPodUser} -- test -x "$resolved" || setup_failed "exec: \\"$1\\": permission denied: uid ${options.uid} cannot execute $resolved (a directory on its way that uid ${options.uid} cannot search, or no execute permission)" ;; esac`,
        ]),
    "exec 2>&3 3>&-",
    // --pdeathsig last, after the uid change (which would clear it): the container dies with
    // its unshare parent, and so with kubelet-sim, even when kubelet-sim is SIGKILLed.
    `exec ${asPodUser} --pdeathsig KILL -- "$@"`,
    "",
  );
  return lines.join("\n");
}
