/** The state-file edits: comments kept, appends only add lines, ids never twice, invalid results refused. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appendLog, editSwitches, setPhase, STATE_TEMPLATES, StateFileError } from "../../src/core/killswitch/state-text.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { d9Files } from "../support/governance-mock.js";
import { patchOf } from "./signoff.js";

const entry = (id: string, extra: Partial<LogEntry> = {}): LogEntry => ({ id, timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason: "a: b # not a comment", severity: "P2", approval: "none", notified: ["ana-owner"], ...extra });

describe("state-file edits", () => {
  it("appending to the log only adds lines (the sign-off check proves appends from the diff)", () => {
    const empty = d9Files()["state/log.yml"]!;
    const one = appendLog(entry("a")).edit(empty);
    expect(patchOf(empty, one).split("\n").filter((l) => l.startsWith("-"))).toEqual(["-entries: []"]);
    const two = appendLog(entry("b", { reason: "yes" })).edit(one);
    expect(patchOf(one, two).split("\n").filter((l) => l.startsWith("-"))).toEqual([]);
    expect(two.startsWith(empty.split("entries:")[0]!)).toBe(true); // header comments kept
    expect((parse(two) as { entries: LogEntry[] }).entries.map((e) => [e.id, e.reason])).toEqual([["a", "a: b # not a comment"], ["b", "yes"]]);
  });

  it("never appends an id twice, and returns the text unchanged when there is nothing to do", () => {
    const one = appendLog(entry("a")).edit(STATE_TEMPLATES["state/log.yml"]);
    expect(appendLog(entry("a")).edit(one)).toBe(one);
  });

  it("creates a missing file from its template", () => {
    const text = appendLog(entry("a")).edit(undefined);
    expect(text).toContain("# yaml-language-server: $schema=../../schema/state-log.schema.json");
    expect((parse(text) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it("rewrites only the switch that changes", () => {
    const text = "version: 1\n# keep me\nswitches:\n  global: { active: false }   # global first\n  workspace:acme: { active: false }\n";
    const out = editSwitches((s) => ({ ...s, "workspace:acme": { active: true, since: "2025-06-02T10:00:00Z", by: "olga-oncall", scenario: "error-rate-20" } })).edit(text);
    expect(out).toContain("  global: { active: false } # global first\n"); // untouched (yaml normalises the space before a comment)
    expect(out).toContain("# keep me");
    expect(parse(out).switches["workspace:acme"]).toEqual({ active: true, since: "2025-06-02T10:00:00Z", by: "olga-oncall", scenario: "error-rate-20" });
    expect(editSwitches((s) => s).edit(text)).toBe(text);
  });

  it("sets the phase and keeps the comments", () => {
    const text = d9Files()["state/phase.yml"]!;
    const out = setPhase({ phase: "P2", since: "2025-06-02T10:00:00Z", by: "olga-oncall", link: "https://github.com/acme/ingestion/issues/7#issuecomment-1" }).edit(text);
    expect(out.split("\n").slice(0, 3)).toEqual(text.split("\n").slice(0, 3));
    expect(parse(out)).toEqual({ version: 1, phase: "P2", since: "2025-06-02T10:00:00Z", by: "olga-oncall", link: "https://github.com/acme/ingestion/issues/7#issuecomment-1" });
  });

  it("refuses to write what would not validate, and text that is not YAML", () => {
    expect(() => editSwitches((s) => ({ ...s, "nope scope": { active: true } })).edit(undefined)).toThrow(StateFileError);
    expect(() => appendLog(entry("a")).edit("entries: [\n")).toThrow(/not valid YAML/);
  });
});
