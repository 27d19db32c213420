import { execFile } from "node:child_process";

// kubelet-sim's "container runtime" is util-linux run as root: mount and PID namespaces
// (unshare), bind mounts and uid switching (setpriv). Checked once at start, so a machine
// that cannot do it fails with the reason instead of every pod failing obscurely.

export async function checkContainerRuntime(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "kubelet-sim: must run as root (it creates mount and PID namespaces and switches to the pods' users); " +
        "run the lab as root, e.g. in a VM or a container where you are root",
    );
  }
  // The same chain a container start uses, with a bind mount and a uid switch inside.
  const probe = [
    "setpriv", "--pdeathsig", "KILL", "--",
    "unshare", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private", "--",
    "/bin/sh", "-c", "mount --bind /tmp /tmp && setpriv --reuid=65534 --regid=65534 --clear-groups true",
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(probe[0] as string, probe.slice(1), { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      reject(
        new Error(
          missing
            ? "kubelet-sim: setpriv/unshare not found; install util-linux (Debian: apt-get install util-linux)"
            : `kubelet-sim: this machine cannot run containers as namespaced processes (${stderr.trim() || error.message}); ` +
                "it needs unshare --mount --pid and bind mounts as root (a container without CAP_SYS_ADMIN cannot)",
        ),
      );
    });
  });
}
