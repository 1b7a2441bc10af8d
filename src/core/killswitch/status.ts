/** `/killswitch status`: which switches are active, since when, by whom, and what resuming needs now. */
import { activationAuthority, resumeAuthority } from "../authority/lookup.js";
import { formatDuration } from "../duration.js";
import type { Governance } from "../model/governance.js";
import { utcTime } from "./log.js";
import { roleTitles } from "./people.js";
import type { ReplyPlan } from "./plan.js";
import { resumeFactsFor } from "./resume.js";
import { activeSwitches } from "./scope.js";

export function planStatus(g: Governance, at: Date): ReplyPlan {
  const active = activeSwitches(g.state.killswitch);
  const phase = g.state.phase?.phase;
  const lines: string[] = [];
  if (active.length === 0) lines.push("no kill-switch is active.");
  else {
    lines.push(`${active.length === 1 ? "one kill-switch is" : `${active.length} kill-switches are`} active:`, "", "| scope | since | by | scenario | approval | resume now needs |", "|---|---|---|---|---|---|");
    for (const [scope, sw] of active) {
      const facts = resumeFactsFor(g, scope, sw, at);
      const r = resumeAuthority(g, facts);
      const a = sw.scenario ? activationAuthority(g, sw.scenario) : undefined;
      const since = sw.since ? `${utcTime(new Date(sw.since), at)} (${formatDuration(facts.pausedMs)})` : "?";
      const approval = sw.approval ? `${sw.approval.status}${sw.approval.due && sw.approval.status === "pending" ? ` (due ${utcTime(new Date(sw.approval.due), at)})` : ""}` : "";
      const resume = r.ok ? `${roleTitles(g, r.rule.who)}: ${r.rule.verify.join(", ")}` : r.message;
      // the activator's login without an @: anyone may ask for the status, and asking must not notify anyone
      lines.push(`| \`${scope}\` | ${since} | ${sw.by ? `\`${sw.by}\`` : ""} | ${a?.ok ? a.title : (sw.scenario ?? "")} | ${approval} | ${resume} |`);
    }
  }
  if (phase !== undefined) lines.push("", `Rollout phase: ${phase}.`);
  return { ok: true, kind: "reply", reply: lines.join("\n") };
}
