import { isObject } from "./is-object.ts";

// Merging our hook into a Claude Code settings document and taking it out again, as pure
// functions on parsed JSON (the bin does the file I/O). Every other key, hook and matcher
// group is kept as it was; ours is recognised by the bin name in its command.

export const hookName = "claude-rtk-hook";
/** Seconds Claude waits for the hook; it answers in well under a second even on megabytes. */
export const hookTimeoutSeconds = 30;

type Settings = Record<string, unknown>;
type HookEntry = Record<string, unknown>;
type MatcherGroup = Record<string, unknown> & { hooks?: unknown };

export const isRtkHookEntry = (entry: unknown): boolean =>
  isObject(entry) && typeof entry.command === "string" && entry.command.includes(hookName);

function checkSettings(settings: unknown): Settings {
  if (!isObject(settings)) throw new Error(`settings must be a JSON object, got ${Array.isArray(settings) ? "an array" : JSON.stringify(settings)}`);
  if (settings.hooks !== undefined && !isObject(settings.hooks)) {
    throw new Error(`settings "hooks" must be an object (event name -> matcher groups), got ${JSON.stringify(settings.hooks)}; fix it by hand first`);
  }
  for (const event of ["PreToolUse", "PostToolUse"]) {
    const groups = isObject(settings.hooks) ? settings.hooks[event] : undefined;
    if (groups === undefined) continue;
    if (!Array.isArray(groups)) {
      throw new Error(`settings "hooks.${event}" must be an array of matcher groups, got ${JSON.stringify(groups)}; fix it by hand first`);
    }
    // The two events we add to: a group we cannot read might hide an earlier install of ours
    // (a second copy would then run twice), so it is refused rather than guessed at.
    groups.forEach((group: unknown, at: number) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) {
        const shape = isObject(group) ? `a group whose "hooks" is ${JSON.stringify(group.hooks) ?? "missing"}` : JSON.stringify(group);
        throw new Error(`settings "hooks.${event}[${at}]" must be a matcher group {"matcher": ..., "hooks": [...]}, got ${shape}; fix it by hand first`);
      }
    });
  }
  return settings;
}

/** The matcher group we install: one command hook, for every tool (PostToolUse) or for Bash (PreToolUse, the rewrite). */
export function rtkHookGroup(command: string, matcher = "*"): MatcherGroup {
  if (command.trim() === "") throw new Error("the hook command must not be empty");
  return { matcher, hooks: [{ type: "command", command, timeout: hookTimeoutSeconds }] };
}

/** A settings document with only our hooks, for `claude --settings <json>`. */
export function settingsDocument(command: string): Settings {
  return { hooks: { PreToolUse: [rtkHookGroup(command, "Bash")], PostToolUse: [rtkHookGroup(command)] } };
}

/** `settings` without any claude-rtk-hook entry; containers we emptied are removed, others untouched. */
export function uninstallHook(settings: unknown): Settings {
  const checked = checkSettings(settings);
  if (!isObject(checked.hooks)) return checked;
  const hooks: Record<string, unknown> = {};
  for (const [event, groups] of Object.entries(checked.hooks)) {
    if (!Array.isArray(groups)) {
      hooks[event] = groups;
      continue;
    }
    const kept: unknown[] = [];
    for (const group of groups as unknown[]) {
      if (!isObject(group) || !Array.isArray(group.hooks) || !group.hooks.some(isRtkHookEntry)) {
        kept.push(group);
        continue;
      }
      const others = (group.hooks as HookEntry[]).filter((entry) => !isRtkHookEntry(entry));
      if (others.length > 0) kept.push({ ...group, hooks: others });
    }
    if (kept.length > 0 || groups.length === 0) hooks[event] = kept;
  }
  const keepHooks = Object.keys(hooks).length > 0 || Object.keys(checked.hooks).length === 0;
  // Rebuilt key by key so the file keeps its order and a round trip gives back the same text.
  const result: Settings = {};
  for (const [key, value] of Object.entries(checked)) {
    if (key !== "hooks") result[key] = value;
    else if (keepHooks) result[key] = hooks;
  }
  return result;
}

/**
 * `settings` with exactly one claude-rtk-hook group per event (ours, with `command`): after
 * every other PostToolUse group, and (matcher Bash, the rewrite) after every other
 * PreToolUse group; the other hooks keep their places.
 */
export function installHook(settings: unknown, command: string): Settings {
  if (!command.includes(hookName)) {
    throw new Error(`the hook command must name ${hookName} (the bin or its file) so uninstall can find it again, got ${JSON.stringify(command)}`);
  }
  const group = rtkHookGroup(command);
  const cleaned = uninstallHook(settings);
  const hooks = isObject(cleaned.hooks) ? cleaned.hooks : {};
  const preToolUse = Array.isArray(hooks.PreToolUse) ? hooks.PreToolUse : [];
  const postToolUse = Array.isArray(hooks.PostToolUse) ? hooks.PostToolUse : [];
  return { ...cleaned, hooks: { ...hooks, PreToolUse: [...preToolUse, rtkHookGroup(command, "Bash")], PostToolUse: [...postToolUse, group] } };
}

/** Quotes one argument for the POSIX shell Claude Code runs hook commands with. */
export function shellQuote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", "'\\''")}'`;
}
