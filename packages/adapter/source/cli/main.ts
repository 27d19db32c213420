import { UsageError } from "./args.ts";
import { doctorCommand, doctorHelp } from "./doctor-command.ts";
import { manifestsCommand, manifestsHelp } from "./manifests-command.ts";
import { renderCommand, renderHelp } from "./render-command.ts";
import { runCommand, runHelp } from "./run-command.ts";
import { sweepCommand, sweepHelp } from "./sweep-command.ts";

const usage = `usage: claude-k8s <command> [options]

  run      one agent run in a cluster, transcript live, exit status from the outcome
  render   the Job and Secret a config would submit (secret values redacted)
  doctor   the environment test, with what to fix
  sweep    list (and with --delete remove) what claude-k8s left behind
  manifests  the install bundle for a Job namespace (Namespace, RBAC, NetworkPolicy, quota)

claude-k8s <command> --help for its options.
`;

/** The CLI; returns the exit status. Usage errors exit 2 with the reason and the usage. */
export async function main(argv: readonly string[], io = { out: (text: string) => void process.stdout.write(text), err: (text: string) => void process.stderr.write(text), color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await runCommand(rest, io);
      case "render":
        return renderCommand(rest, io);
      case "doctor":
        return await doctorCommand(rest, io);
      case "sweep":
        return await sweepCommand(rest, io);
      case "manifests":
        return manifestsCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(usage);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const help = { run: runHelp, render: renderHelp, doctor: doctorHelp, sweep: sweepHelp, manifests: manifestsHelp }[command as string] ?? usage;
      io.err(`claude-k8s: ${error.message}\n\n${help}`);
      return 2;
    }
    io.err(`claude-k8s: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
