import type { LabState } from "../lab-state.ts";

/** What the global setup hands every test file: `inject("lab")`. */
export type LabEndpoints = LabState & { reused: boolean };

declare module "vitest" {
  export interface ProvidedContext {
    lab: LabEndpoints;
  }
}
