// The process that owns a lab started by `lab up`: it starts the lab, stays alive holding
// it (the fault proxy runs in here, and the components die with it), and stops it on
// SIGTERM or SIGINT. `lab up` spawns it detached with its output in <dir>/lab.log.
//
// Usage: node lab-daemon.ts <dataDir>
import { startLab } from "./lab.ts";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: node lab-daemon.ts <dataDir>");
  process.exit(2);
}

const stamp = () => new Date().toISOString();
const log = (line: string) => console.log(`${stamp()} ${line}`);

try {
  const lab = await startLab({ dataDir, build: "never", log });
  log(`lab ready: kubeconfig ${lab.kubeconfigPath}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the lab`);
    lab.stop().then(
      () => {
        log("lab stopped");
        process.exit(0);
      },
      (error: Error) => {
        log(`stopping failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // A component that dies on its own makes the lab useless; say so in the log and stop.
  for (const component of Object.values(lab.controlPlane.processes)) {
    component.exited.then((exit) => {
      if (!stopping && component !== lab.controlPlane.processes["kube-apiserver"]) {
        log(`${component.name} exited unexpectedly (${exit.signal ?? `code ${exit.code}`}); see ${component.logPath}`);
        stop("component exit");
      }
    });
  }
} catch (error) {
  log(`lab failed to start: ${(error as Error).message}`);
  process.exit(1);
}
