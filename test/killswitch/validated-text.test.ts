/**
 * A state text Charter wrote and validated is not parsed again when read back as the proposed
 * state of its own pull request; any other text (or one too long to read) is parsed as before.
 */
import { describe, expect, it } from "vitest";
import { appendLog, editSwitches, validatedStateText } from "../../src/core/killswitch/state-text.js";
import { LogFile } from "../../src/core/model/state.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { parseYaml } from "../../src/load/yaml-document.js";
import { proposedStateFiles, type PullFiles } from "../../src/github/signoff/files.js";
import { GovernanceCache } from "../../src/github/governance.js";
import type { GitHubClient } from "../../src/github/client.js";
import { d9Files } from "../support/governance-mock.js";

const entry = (id: string): LogEntry => ({ id, timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason: "checksums differ", severity: "P2", approval: "none", notified: ["ana-owner"] });
const noGitHub = {} as GitHubClient; // every text below is in the blob cache: no request

describe("state texts Charter validated", () => {
  it("remembers the value of a text it wrote: the file's schema applied to the text's YAML", () => {
    const text = appendLog(entry("validated-1")).edit(d9Files()["state/log.yml"]!);
    const known = validatedStateText("state/log.yml", text);
    expect(known?.value).toEqual(LogFile.parse(parseYaml(text).value));
    expect(validatedStateText("state/log.yml", `${text}\n# edited by someone\n`)).toBeUndefined();
    expect(validatedStateText("state/killswitch.yml", text)).toBeUndefined();
  });

  it("is bounded: the oldest text goes first", () => {
    const base = d9Files()["state/log.yml"]!;
    const first = appendLog(entry("bounded-0")).edit(base);
    for (let i = 1; i <= 40; i++) appendLog(entry(`bounded-${i}`)).edit(base);
    expect(validatedStateText("state/log.yml", first)).toBeUndefined();
  });

  it("reads Charter's own text back without parsing it, and parses a changed text (blob) as before", async () => {
    const cache = new GovernanceCache();
    const mine = appendLog(entry("read-back")).edit(d9Files()["state/log.yml"]!);
    const theirs = `${mine}  - id: x\n`; // a person's edit on top: invalid, must be parsed and refused
    cache.setBlob("1".repeat(40), mine);
    cache.setBlob("2".repeat(40), theirs);
    const files = (sha: string): PullFiles => ({ files: [{ filename: "governance/state/log.yml", status: "modified" }], blobs: new Map([["governance/state/log.yml", sha]]), truncated: false });
    const own = await proposedStateFiles(noGitHub, { owner: "acme", repo: "ingestion" }, files("1".repeat(40)), cache);
    // the very value dump() validated (not a parse of its own)
    expect(own.log?.kind === "valid" && own.log.value).toBe(validatedStateText("state/log.yml", mine)!.value);
    const other = await proposedStateFiles(noGitHub, { owner: "acme", repo: "ingestion" }, files("2".repeat(40)), cache);
    expect(other.log?.kind).toBe("invalid");
  });

  it("edits a copy of a remembered text's document: the same edit of the same text gives the same text, as if parsed afresh", () => {
    const on = (scope: string) => editSwitches((switches) => ({ ...switches, [scope]: { active: true, since: "2025-06-02T10:00:00Z", by: "olga-oncall", scenario: "data-corruption", reason: `${scope} differs` } }));
    // a comment after a switch on its line: edits take the document path (test/killswitch/switch-splice.test.ts)
    const base = on("workspace:a").edit(d9Files()["state/killswitch.yml"]!.replace("{ active: false }", "{ active: false } # off"));
    expect(validatedStateText("state/killswitch.yml", base)?.switchesAt).toBeUndefined();
    expect(validatedStateText("state/killswitch.yml", base)?.document).toBeDefined();
    const first = on("workspace:b").edit(base);
    const second = on("workspace:c").edit(base); // not workspace:b as well: the remembered document was not changed
    expect(second).toBe(first.replaceAll("workspace:b", "workspace:c"));
    expect(on("workspace:b").edit(`${base}\n`)).toBe(first); // a text no edit wrote, parsed afresh
  });
});
