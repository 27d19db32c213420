/**
 * Where a run's HOME and workspace live:
 * - `shared-volume`: on a ReadWriteMany claim the Paperclip server also mounts (configured as
 *   `workspaceVolumeClaim` or inherited from the server pod's data mount). Paperclip's paths
 *   are translated onto it; nothing is copied. The drop-in behaviour.
 * - `agent-volume`: without such a claim, on a ReadWriteOnce claim of the agent's own, created
 *   when missing (see agent-volume/).
 */
export type WorkspaceMode = "shared-volume" | "agent-volume";

export function chooseWorkspaceMode(sharedClaim: string | undefined): WorkspaceMode {
  return sharedClaim === undefined ? "agent-volume" : "shared-volume";
}
