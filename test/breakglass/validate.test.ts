/**
 * The new keys of issue 14 (items 4 and 5) are validated like the rest of authority.yml: unknown
 * roles, zero durations and `anyone` where a named role is needed are refused with file, line,
 * column and a fix, so an invalid policy fails the sign-off check closed instead of being ignored.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { applyEdits, d9Texts, load, positionOf } from "../validate/support.js";
import { BREAK_GLASS, withBreakGlass } from "./world.js";

async function diagnostics(authority: string): Promise<string[]> {
  const result = await load(applyEdits(d9Texts(), [{ file: "authority.yml", set: authority }]));
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
}
const base = () => d9Texts()["authority.yml"]!;

describe("validating break_glass, valid_for and remind_after", () => {
  it("the worked example loads", async () => {
    expect(await diagnostics(withBreakGlass(base()).replace("      freeze: true\n", "      freeze: true\n      valid_for: 72h\n      remind_after: 24h\n"))).toEqual([]);
  });

  it("`anyone` may neither break the glass nor sign its review", async () => {
    const text = withBreakGlass(base(), BREAK_GLASS.replace("who: [on-call, sre-lead]", "who: [anyone]").replace("roles: [ingestion-owner, sre-lead]", "roles: [ingestion-owner, everyone]"));
    const pos = positionOf(text, { text: "break_glass:\n  who: [anyone]", offset: "break_glass:\n  who: [".length });
    const roles = positionOf(text, { text: "roles: [ingestion-owner, everyone]", offset: "roles: [ingestion-owner, ".length });
    expect(await diagnostics(text)).toEqual([
      `governance/authority.yml:${pos.line}:${pos.column}: break_glass: \`anyone\` may not break the glass (name the roles, e.g. [on-call, sre-lead]: a break-glass passes every sign-off gate of a pull request)`,
      `governance/authority.yml:${roles.line}:${roles.column}: break_glass: \`everyone\` may not sign a break-glass review (name the roles, e.g. [on-call, sre-lead]: a break-glass passes every sign-off gate of a pull request)`,
    ]);
  });

  it("an unknown role in break_glass, with a did-you-mean", async () => {
    const text = withBreakGlass(base(), BREAK_GLASS.replace("who: [on-call, sre-lead]", "who: [on-cal]"));
    expect((await diagnostics(text)).join("\n")).toContain("unknown role `on-cal` in break_glass (who) (did you mean `on-call`?)");
  });

  it("zero durations are refused, saying why", async () => {
    const text = withBreakGlass(base(), BREAK_GLASS.replace("within: 24h", "within: 0m")).replace("# §8 Decision authority summary.", "signoff:\n  valid_for: 0m\n\n# §8 Decision authority summary.");
    const all = (await diagnostics(text)).join("\n");
    expect(all).toContain("signoff valid_for is 0 (every approval would expire the moment it is given; give how long one counts, e.g. 72h, or remove `valid_for`)");
    expect(all).toContain("break_glass review within is 0 (every break-glass review would be overdue the moment it opens; give the time allowed, e.g. 24h)");
  });

  it("a malformed duration is a schema error at its place", async () => {
    const text = base().replace("      freeze: true\n", "      freeze: true\n      remind_after: 24 hours\n");
    expect((await diagnostics(text)).join("\n")).toMatch(/governance\/authority\.yml:\d+:\d+: .*a duration such as 15m, 1h, 1h30m, 24h or 5d/);
  });
});
