import { readFileSync } from "node:fs";
import { UsageError } from "./args.ts";

/** Reads a JSON object from a file, with errors that name the file and the problem. */
export function readJsonObject(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new UsageError(`${what} ${path} must hold a JSON object, e.g. {"namespace": "agents", "image": "ghcr.io/acme/agent:1"}`);
  return value as Record<string, unknown>;
}
