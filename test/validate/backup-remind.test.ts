/**
 * `backup` (who the start message names as the backup) and `remind` (who status-update reminders
 * address), declared in incidents.yml (issue 11): validated like every other reference, with the
 * file, line, column and a hint.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { applyEdits, d9Texts, type Edit } from "./support.js";

const P1_BACKUP = "    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m";

async function problems(edits: Edit[]): Promise<string[]> {
  const result = await loadGovernance(memorySource(applyEdits(d9Texts(), edits)));
  return result.diagnostics.map(formatDiagnostic);
}

describe("incidents.yml backup and remind", () => {
  it("D9 declares both and is valid", async () => {
    expect(await problems([])).toEqual([]);
  });

  it("an unknown role as backup: did you mean", async () => {
    expect(await problems([{ file: "incidents.yml", from: P1_BACKUP, to: P1_BACKUP.replace("backup: on-call-secondary", "backup: on-call-secondry") }])).toEqual([
      "governance/incidents.yml:22:13: unknown role `on-call-secondry` in severity P1 (backup) (did you mean `on-call-secondary`?)",
    ]);
  });

  it("the backup is the role assigned: refused, it would name the same people twice", async () => {
    expect(await problems([{ file: "incidents.yml", from: P1_BACKUP, to: P1_BACKUP.replace("backup: on-call-secondary", "backup: on-call-primary") }])).toEqual([
      "governance/incidents.yml:22:13: severity P1: the backup `on-call-primary` is the role assigned, so the start message would name the same people twice (name another role or tier as the backup, e.g. on-call-secondary, or remove `backup` to name the first ladder target after the assigned one)",
    ]);
  });

  it("an unknown tier as a route's backup", async () => {
    const edits: Edit[] = [{ file: "incidents.yml", from: "\ncommands:", to: "\nrouting:\n  exports: { assign: on-call-primary, backup: ingestion/secundary }\n\ncommands:" }];
    expect(await problems(edits)).toEqual([expect.stringMatching(/^governance\/incidents\.yml:\d+:47: unknown on-call tier `ingestion\/secundary` in routing exports \(backup\) \(did you mean `ingestion\/secondary`\?\)$/)]);
  });

  it("remind: `owner` and roles are accepted; an unknown role, a repeat and a cadence-less remind are not", async () => {
    expect(await problems([{ file: "incidents.yml", from: "    remind: [owner]\n    review: { required: true", to: "    remind: [owner, support-lead]\n    review: { required: true" }])).toEqual([]);
    expect(await problems([{ file: "incidents.yml", from: "    remind: [owner]\n    review: { required: true", to: "    remind: [ownr, owner, owner]\n    review: { required: true" }])).toEqual([
      "governance/incidents.yml:29:14: unknown role `ownr` in severity P1 (remind) (did you mean `owner`?)",
      "governance/incidents.yml:29:27: severity P1: `owner` is listed twice in `remind` (list each role or tier once)",
    ]);
    expect(await problems([{ file: "incidents.yml", from: "    updates_every: 30m\n    remind: [owner]\n    review: { required: true", to: "    remind: [owner]\n    review: { required: true" }])).toEqual([
      "governance/incidents.yml:28:5: severity P1 says who is reminded (`remind`) but has no `updates_every`, so nobody is ever reminded (add `updates_every:`, e.g. 30m, or remove `remind`)",
    ]);
  });
});
