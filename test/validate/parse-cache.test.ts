/**
 * What a load parses again: a file whose text (blob) changed is parsed and validated again; an
 * unchanged one is not (the same model object comes back), OWNERS included.
 */
import { describe, expect, it } from "vitest";
import { appendLog, validatedStateText } from "../../src/core/killswitch/state-text.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const load = async (files: Record<string, string>) => {
  const r = await loadGovernance(memorySource(files));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.governance;
};

describe("governance parsed once per file text", () => {
  it("reuses an unchanged OWNERS (and roles.yml) when another file changes", async () => {
    const first = await load(d9Files());
    const second = await load(d9Files({ "state/phase.yml": d9Files()["state/phase.yml"]!.replace("phase: P3", "phase: P4") }));
    expect(second.state.phase?.phase).toBe("P4");
    expect(second.owners).toBe(first.owners);
    expect(second.roles).toBe(first.roles);
  });

  it("parses and validates a changed OWNERS again", async () => {
    const base = await load(d9Files());
    const owners = `${d9Files()["OWNERS"]!}/docs/ @pat-pm\n`;
    const changed = await load(d9Files({ OWNERS: owners }));
    expect(changed.owners).not.toBe(base.owners);
    expect(changed.owners.at(-1)).toMatchObject({ pattern: "/docs/" });
    const broken = await loadGovernance(memorySource(d9Files({ OWNERS: `${owners}/x/ not-an-owner!\n` })));
    expect(broken.ok).toBe(false);
  });

  it("is bounded: after many different OWNERS texts the first is parsed again", async () => {
    const text = d9Files()["OWNERS"]!;
    const first = await load(d9Files());
    for (let i = 0; i < 300; i++) await load(d9Files({ OWNERS: `${text}# ${i}\n` }));
    const again = await load(d9Files({ OWNERS: text }));
    expect(again.owners).toEqual(first.owners);
    expect(again.owners).not.toBe(first.owners);
  });
});

describe("a commit that changes only state/ (every commit Charter makes)", () => {
  it("still checks the state against the configuration, and checks the configuration again when it changes", async () => {
    const files = d9Files();
    expect((await loadGovernance(memorySource(files))).ok).toBe(true);
    // state only: the configuration's checks are reused, the state's are not
    const unknownPhase = await loadGovernance(memorySource({ ...files, "state/phase.yml": files["state/phase.yml"]!.replace("phase: P3", "phase: P9") }));
    expect(unknownPhase.ok).toBe(false);
    expect(unknownPhase.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([expect.stringMatching(/^governance\/state\/phase\.yml:\d+ the current phase `P9` is not a phase in phases.order$/)]);
    // the same state, with the phase added to the configuration: checked again, and valid
    const authority = files["authority.yml"]!.replace(/(order:\s*\[)/, "$1P9, ");
    expect(authority).not.toBe(files["authority.yml"]);
    const added = await loadGovernance(memorySource({ ...files, "authority.yml": authority, "state/phase.yml": files["state/phase.yml"]!.replace("phase: P3", "phase: P9") }));
    expect(added.diagnostics).toEqual([]);
  });

  it("checks remembered for one file's model still report after another file changes, and never stand in for a changed file", async () => {
    const messages = async (files: Record<string, string>) => {
      const r = await loadGovernance(memorySource(files));
      return r.ok ? [] : r.diagnostics.map((d) => `${d.file}: ${d.message}`);
    };
    await load(d9Files()); // every per-file result remembered for D9's models
    // authority.yml changes, roles.yml does not: its resume rules and role references are checked again
    const authority = d9Files()["authority.yml"]!;
    const neverApplies = authority.replace("when: { after_rollback: true }", "when: { after_rollback: true, paused_at_least: 2h, paused_under: 1h }");
    const unknownRole = authority.replace("who: [ingestion-owner, product-manager]", "who: [ingestion-owner, auditor]");
    expect(await messages(d9Files({ "authority.yml": neverApplies }))).toEqual([expect.stringMatching(/authority\.yml: resume rule 2 "Rollback" can never apply/)]);
    expect(await messages(d9Files({ "authority.yml": unknownRole }))).toContainEqual(expect.stringMatching(/authority\.yml: unknown role `auditor`/));
    // roles.yml changes, authority.yml does not: authority.yml's remembered results still count
    const roles = `${d9Files()["roles.yml"]!}# reviewed\n`;
    expect(await messages(d9Files({ "authority.yml": neverApplies, "roles.yml": roles }))).toEqual([expect.stringMatching(/can never apply/)]);
    // and a role removed from roles.yml is reported where authority.yml's remembered references name it
    const withoutSre = d9Files()["roles.yml"]!.replace("\n  sre-lead:\n", "\n  sre-lead-renamed:\n");
    expect(await messages(d9Files({ "roles.yml": withoutSre }))).toContainEqual(expect.stringMatching(/authority\.yml: unknown role `sre-lead`/));
  });

  it("reads a state text Charter wrote without parsing it again, still refusing a secret in it and locating problems by line", async () => {
    const files = d9Files();
    const mine = appendLog({ id: "secret-in-reason", timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason: "pasted https://hooks.slack.com/services/T000/B000/XXXX by mistake", severity: "P2", approval: "none", notified: ["ana-owner"] }).edit(files["state/log.yml"]!);
    expect(validatedStateText("state/log.yml", mine)).toBeDefined();
    const refused = await loadGovernance(memorySource({ ...files, "state/log.yml": mine }));
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics[0]).toMatchObject({ file: "governance/state/log.yml", message: expect.stringContaining("Slack webhook URL") });
    expect(refused.diagnostics[0]!.line).toBe(mine.split("\n").findIndex((l) => l.includes("hooks.slack.com")) + 1);

    // a problem in a text Charter wrote (an activation without `notified`, which authority.yml's log_fields requires) is found at its line
    const incomplete = appendLog({ id: "no-notified", timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason: "checksums differ", severity: "P2", approval: "none" }).edit(files["state/log.yml"]!);
    expect(validatedStateText("state/log.yml", incomplete)).toBeDefined();
    const reported = await loadGovernance(memorySource({ ...files, "state/log.yml": incomplete }));
    expect(reported.diagnostics.map((d) => [d.line, d.message])).toEqual([[incomplete.split("\n").indexOf("  - id: no-notified") + 1, expect.stringContaining("is missing `notified`")]]);
  });
});
