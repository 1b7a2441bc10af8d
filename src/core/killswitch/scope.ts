/**
 * Kill-switch scopes: `global`, or `workspace:<name>`. A global switch overrides every workspace:
 * while it is active, every workspace is paused whatever its own switch says.
 */
import type { KillSwitchStateFile, Switch } from "../model/state.js";

export const GLOBAL = "global";
const WORKSPACE = /^workspace:([A-Za-z0-9][A-Za-z0-9_.-]*)$/;

export type ScopeParse = { ok: true; scope: string } | { ok: false; message: string };

/** Whether a word looks like a scope (so `/killswitch reject <scope> <reason>` can tell them apart). */
export function looksLikeScope(word: string | undefined): boolean {
  if (word === undefined) return false;
  const w = word.toLowerCase();
  return w === GLOBAL || w.startsWith("workspace:") || w.startsWith("workspace/");
}

/** A scope as a person typed it: `global` (any case), `workspace:<name>`. */
export function parseScope(word: string | undefined): ScopeParse {
  if (word === undefined || word.trim() === "") return { ok: false, message: "a scope is required: `global` or `workspace:<name>`" };
  const w = word.trim();
  if (w.toLowerCase() === GLOBAL) return { ok: true, scope: GLOBAL };
  const m = WORKSPACE.exec(w.replace(/^workspace/i, "workspace").replace(/^workspace\//, "workspace:"));
  if (m) return { ok: true, scope: `workspace:${m[1]}` };
  return { ok: false, message: `\`${w}\` is not a scope: write \`global\` or \`workspace:<name>\` (letters, digits, \`.\`, \`_\`, \`-\`)` };
}

/** Active switches by scope, in file order. */
export function activeSwitches(state: KillSwitchStateFile | undefined): [string, Switch][] {
  return Object.entries(state?.switches ?? {}).filter(([, s]) => s.active);
}

/**
 * Whether `workspace` (a name, or undefined for "the service as a whole") is paused, and by which
 * switch: the global switch first (it overrides), then the workspace's own.
 */
export function pausedBy(state: KillSwitchStateFile | undefined, workspace?: string): { scope: string; switch: Switch } | undefined {
  const global = state?.switches[GLOBAL];
  if (global?.active) return { scope: GLOBAL, switch: global };
  if (workspace === undefined) return undefined;
  const own = state?.switches[`workspace:${workspace}`];
  return own?.active ? { scope: `workspace:${workspace}`, switch: own } : undefined;
}

/** `global`, `workspace-acme`: a scope as part of a branch name. */
export function scopeSlug(scope: string): string {
  return scope.replace(/[^A-Za-z0-9_.-]+/g, "-").toLowerCase();
}
