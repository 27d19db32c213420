import { type ConfigIssue, describeValue } from "../errors.ts";

/**
 * Readers for one config value each. They accept what Paperclip's UI forms really send
 * (numbers and booleans as strings, empty strings for cleared fields) and turn anything else
 * of the wrong type into an issue: a wrong type never silently becomes the default.
 */
export class IssueList {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: string[] = [];

  add(path: string, expected: string, value: unknown, example?: string): undefined {
    this.issues.push({ path, expected, received: describeValue(value, isEchoSafePath(path)), ...(example === undefined ? {} : { example }) });
    return undefined;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}

/**
 * Keys whose values are never secret, so an error may quote them. Everything else (`env`,
 * `mcpServers`, `extraArgs`, templates, labels, paths...) is described by type and length only.
 */
const ECHO_SAFE_KEYS: ReadonlySet<string> = new Set([
  "model",
  "effort",
  "maxTurnsPerRun",
  "dangerouslySkipPermissions",
  "enableRtk",
  "rtkMaxOutputBytes",
  "namespace",
  "image",
  "imagePullPolicy",
  "serviceAccountName",
  "automountServiceAccountToken",
  "resources",
  "priorityClassName",
  "runAsUser",
  "runAsGroup",
  "fsGroup",
  "workspaceVolumeClaim",
  "workspaceMountPath",
  "agentVolumeStorageClass",
  "agentVolumeSize",
  "gitCredentialsSecret",
  "ttlSecondsAfterFinished",
  "retainJobs",
  "reattachOrphanedJobs",
  "timeoutSec",
  "jobDeadlineSec",
  "graceSec",
  "podScheduleTimeoutSec",
  "podStartTimeoutSec",
]);

function isEchoSafePath(path: string): boolean {
  const top = path.split(/[.[ ]/, 1)[0] ?? path;
  return ECHO_SAFE_KEYS.has(top);
}

/** Cleared UI fields arrive as null or "": both mean "not set, use the default". */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

export function readString(value: unknown, path: string, issues: IssueList, example: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== "string") return issues.add(path, "a string", value, example);
  return value.trim();
}

/** Template text: kept verbatim (leading and trailing whitespace can be deliberate). */
export function readText(value: unknown, path: string, issues: IssueList, example: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return issues.add(path, "a string", value, example);
  return value;
}

export function readBoolean(value: unknown, path: string, issues: IssueList): boolean | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lowered = value.trim().toLowerCase();
    if (lowered === "true") return true;
    if (lowered === "false") return false;
  }
  return issues.add(path, "true or false", value, "true");
}

export interface IntegerBounds {
  min: number;
  max?: number;
}

export function readInteger(
  value: unknown,
  path: string,
  issues: IssueList,
  bounds: IntegerBounds,
  example: string,
): number | undefined {
  if (isAbsent(value)) return undefined;
  let number: number | undefined;
  if (typeof value === "number") number = value;
  else if (typeof value === "string" && /^\s*[+-]?\d+(\.0+)?\s*$/.test(value)) number = Number(value);
  // Huge maxima (int32 API fields) are technical limits; naming them only adds noise.
  const range =
    bounds.max === undefined || bounds.max >= 1e9 ? `>= ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`;
  const expected = `a whole number ${range}`;
  if (number === undefined || !Number.isSafeInteger(number) || number < bounds.min) {
    return issues.add(path, expected, value, example);
  }
  if (bounds.max !== undefined && number > bounds.max) return issues.add(path, `a whole number <= ${bounds.max}`, value, example);
  return number === 0 ? 0 : number; // "-0" is zero, not negative zero
}

/** An array of strings, or a JSON array of strings in one string (what a textarea sends). */
export function readStringArray(value: unknown, path: string, issues: IssueList, example: string): string[] | undefined {
  if (isAbsent(value)) return undefined;
  let candidate = value;
  if (typeof value === "string") {
    candidate = parseJsonOrUndefined(value);
    if (!Array.isArray(candidate)) return issues.add(path, "an array of strings (or a JSON array)", value, example);
  }
  if (!Array.isArray(candidate)) return issues.add(path, "an array of strings", value, example);
  const result: string[] = [];
  candidate.forEach((item, index) => {
    if (typeof item === "string") result.push(item);
    else issues.add(`${path}[${index}]`, "a string", item, example);
  });
  return result;
}

/**
 * A string-to-string map given as an object, a JSON object in a string, or `key=value` lines
 * (the three forms the public adapter's UI produced). Numbers and booleans as values are
 * taken as their text; nested objects are an error.
 */
export function readStringMap(
  value: unknown,
  path: string,
  issues: IssueList,
  example: string,
): Record<string, string> | undefined {
  // An empty field means "not set" (so inherited values still apply); `{}` means "none".
  if (isAbsent(value)) return undefined;
  let candidate: unknown = value;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed.startsWith("{")) {
      candidate = parseJsonOrUndefined(trimmed);
      if (!isPlainObject(candidate)) return issues.add(path, "a JSON object", value, example);
    } else {
      return parseKeyValueLines(trimmed, path, issues, example);
    }
  }
  if (!isPlainObject(candidate)) return issues.add(path, "an object of strings, JSON, or key=value lines", value, example);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(candidate)) {
    if (typeof item === "string") result[key] = item;
    else if (typeof item === "number" && Number.isFinite(item)) result[key] = String(item);
    else if (typeof item === "boolean") result[key] = String(item);
    else issues.add(`${path}.${key}`, "a string", item, example);
  }
  return result;
}

function parseKeyValueLines(text: string, path: string, issues: IssueList, example: string): Record<string, string> {
  const result: Record<string, string> = {};
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const equals = line.indexOf("=");
    if (equals <= 0) {
      issues.add(`${path} (line ${index + 1})`, "a key=value line", line, example);
      return;
    }
    result[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  });
  return result;
}

export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
