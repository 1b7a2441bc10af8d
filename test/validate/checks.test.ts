/**
 * The cross-file checks called directly on a model (src/core is pure): cases the YAML loader cannot
 * produce (its schemas stop them first) and the finer points of each check.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import { DURATION_HINT, durationProblems } from "../../src/core/validate/checks/durations.js";
import { resumeProblems } from "../../src/core/validate/checks/resume.js";
import { serviceProblems } from "../../src/core/validate/checks/services.js";
import { templateIssues } from "../../src/core/validate/checks/templates.js";
import { crossCheck } from "../../src/core/validate/cross-check.js";
import { closest, didYouMean } from "../../src/core/validate/suggest.js";
import { d9Texts, load } from "./support.js";

let d9: Governance;
const copy = (): Governance => structuredClone(d9);

beforeAll(async () => {
  const result = await load(d9Texts());
  if (!result.ok) throw new Error(`D9 does not load: ${JSON.stringify(result.diagnostics)}`);
  d9 = result.governance;
});

describe("crossCheck", () => {
  it("finds nothing wrong with D9", () => {
    expect(crossCheck(d9)).toEqual([]);
  });

  it("accepts `anyone` and `everyone` wherever roles are named, and `assignees` only in commands", () => {
    const g = copy();
    g.authority!.phases!.gates[0]!.require = ["anyone"];
    g.incidents!.severities["P1"]!.escalation[0]!.notify = ["everyone", "assignees"];
    expect(crossCheck(g)).toEqual([
      {
        file: "incidents.yml",
        path: ["severities", "P1", "escalation", 0, "notify", 1],
        message: "unknown role `assignees` in severity P1 escalation step 1",
        hint: "define `assignees` in roles.yml, or use one of: ingestion-owner, on-call-primary, on-call-secondary, on-call, sre-lead, database-owner, product-manager, support-lead, account-manager, anyone, everyone",
      },
    ]);
  });

  it("a role filled by an on-call tier can be required even with no holders", () => {
    const g = copy();
    g.authority!.phases!.gates[0]!.require = ["on-call"];
    expect(crossCheck(g)).toEqual([]);
  });
});

describe("durations", () => {
  it("a duration that does not parse gets a friendly message with examples", () => {
    const g = copy();
    g.incidents!.severities["P1"]!.ack_within = "15 mins";
    g.authority!.kill_switch!.activation["error-rate-10"]!.notify.within = "soon";
    expect(durationProblems(g)).toEqual([
      { file: "incidents.yml", path: ["severities", "P1", "ack_within"], message: "severity P1 ack_within: `15 mins` is not a duration", hint: DURATION_HINT },
      { file: "authority.yml", path: ["kill_switch", "activation", "error-rate-10", "notify", "within"], message: "scenario error-rate-10 notify within: `soon` is not a duration", hint: DURATION_HINT },
    ]);
    expect(DURATION_HINT).toBe("write a number and a unit with no space: 90s, 15m, 1h, 1h30m, 24h, 5d or 2w (0 for none)");
  });

  it("zero is refused where it makes no sense, allowed where it means `at once`", () => {
    const g = copy();
    g.incidents!.severities["P1"]!.updates_every = "0";
    g.incidents!.severities["P1"]!.repeat = { every: "0m" };
    g.incidents!.severities["P1"]!.escalation[0]!.after = "0";
    expect(durationProblems(g).map((p) => [p.path, p.message])).toEqual([
      [["severities", "P1", "repeat", "every"], "severity P1 repeat every is 0"],
      [["severities", "P1", "updates_every"], "severity P1 updates_every is 0"],
    ]);
  });
});

describe("templates", () => {
  it("reports the line and column inside the message", () => {
    expect(templateIssues("A {{severity}}\nB {{oops}} {{time}}\n")).toEqual([
      { line: 2, column: 3, message: "unknown placeholder `{{oops}}`", hint: `placeholders are: severity, time, impact, status, oncall, secondary, backup, next_update, findings, next_steps, duration, root_cause, resolution, follow_up, title, issue, commander, service, url` },
    ]);
  });

  it("finds unclosed, stray and nested braces", () => {
    expect(templateIssues("a }} b").map((i) => [i.line, i.column, i.message])).toEqual([[1, 3, "`}}` without an opening `{{`"]]);
    expect(templateIssues("{{time\n}}").map((i) => [i.line, i.column, i.message])).toEqual([
      [1, 1, "`{{` is not closed with `}}` on the same line"],
      [2, 1, "`}}` without an opening `{{`"],
    ]);
    expect(templateIssues("{{a {{time}}").map((i) => [i.column, i.message])).toEqual([[1, "`{{` is not closed with `}}` on the same line"]]);
    expect(templateIssues("{{time}}{{url}}")).toEqual([]);
  });
});

describe("resume rules", () => {
  const rules = (g: Governance) => g.authority!.kill_switch!.resume;

  it("a rule covered only by several earlier rules together is shadowed", () => {
    const g = copy();
    rules(g).push({ title: "Workspace pause", when: { scope: "workspace" }, who: ["on-call"], verify: ["Test upload passes"] });
    expect(resumeProblems(g)).toEqual([
      {
        file: "authority.yml",
        path: ["kill_switch", "resume", 4, "when"],
        message: 'resume rule 5 "Workspace pause" can never apply: every pause it covers is matched first by resume rule 1 "Data integrity event" or resume rule 2 "Rollback" or resume rule 3 "> 1 hour pause" or resume rule 4 "< 1 hour pause"',
        hint: "the first matching rule applies: move this rule above the broader one, or narrow the earlier rule's `when`",
      },
    ]);
  });

  it("the same rule placed first shadows nothing and is not shadowed", () => {
    const g = copy();
    rules(g).unshift({ title: "Workspace pause", when: { scope: "workspace" }, who: ["on-call"], verify: ["Test upload passes"] });
    expect(resumeProblems(g)).toEqual([]);
  });

  it("an empty `when` matches every pause and shadows every later rule", () => {
    const g = copy();
    rules(g)[1]!.when = {};
    expect(resumeProblems(g).map((p) => p.path)).toEqual([
      ["kill_switch", "resume", 2, "when"],
      ["kill_switch", "resume", 3, "when"],
    ]);
  });

  it("pauses of one scope left uncovered are reported with an example", () => {
    const g = copy();
    for (const rule of rules(g)) rule.when.scope = "global";
    expect(resumeProblems(g)).toEqual([
      {
        file: "authority.yml",
        path: ["kill_switch", "resume"],
        message: "no resume rule applies to a workspace pause shorter than 1h, not a data-integrity event, without a rollback: nobody could resume such a pause",
        hint: "end kill_switch.resume with a rule that matches every remaining pause (`when: {}`), or add a rule for this case",
      },
    ]);
  });

  it("data-integrity pauses need a rule only when a scenario is a data-integrity event", () => {
    const g = copy();
    g.authority!.kill_switch!.resume = [{ title: "Ordinary pause", when: { data_integrity: false }, who: ["on-call"], verify: ["Test upload passes"] }];
    expect(resumeProblems(g).map((p) => p.message)).toEqual([
      "no resume rule applies to a global pause of any length, after a data-integrity event, without a rollback: nobody could resume such a pause",
    ]);
    delete g.authority!.kill_switch!.activation["data-corruption"]!.data_integrity;
    expect(resumeProblems(g)).toEqual([]);
  });

  it("paused_under: 0 never applies", () => {
    const g = copy();
    rules(g)[3]!.when = { paused_under: "0" };
    const messages = resumeProblems(g).map((p) => p.message);
    expect(messages).toContain('resume rule 4 "< 1 hour pause" can never apply: no pause is shorter than 0');
  });
});

describe("services", () => {
  it("a secondary listed twice", () => {
    const g = copy();
    g.services = { version: 1, services: { api: { owner: "sre-lead", secondary: ["database-owner", "database-owner"] } } };
    expect(serviceProblems(g)).toEqual([
      { file: "services.yml", path: ["services", "api", "secondary", 1], message: "service api lists `database-owner` as secondary twice", hint: "list each team once" },
    ]);
  });
});

describe("did-you-mean", () => {
  it("by default names the first of several equally close candidates (unchanged behaviour)", () => {
    expect(closest("P7", ["P0", "P1", "P2"])).toBe("P0");
  });

  it("with `unique`, suggests only a strictly closest candidate", () => {
    expect(closest("P7", ["P0", "P1", "P2"], { unique: true })).toBeUndefined();
    expect(didYouMean("sre-leed", ["sre-lead", "support-lead"], { unique: true })).toBe("did you mean `sre-lead`?");
  });
});
