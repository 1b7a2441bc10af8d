import type { Governance } from "../model/governance.js";
import type { TeamMembers } from "../roles/resolve.js";
import { inlineUserText } from "../text/untrusted.js";
import { mentionGroups, pageGroups, peopleOf, type PageGroup } from "./people.js";

/** A page of some roles or tiers at an instant: who, and the comment that pages them. */
export interface PagePlan {
  groups: PageGroup[];
  /** Logins paged (to assign). */
  people: string[];
  /** The comment body: `📟 **reason**: @a (Role), @b (Other role)`. */
  body: string;
  /** Targets that resolve to nobody at that instant. */
  nobody: string[];
}

/** Plan paging `targets` (role ids, `schedule/tier`, `everyone`) at `at` with `reason`. Pure. */
export function planPage(g: Governance, targets: readonly string[], reason: string, at: Date, teams?: TeamMembers): PagePlan {
  const groups = pageGroups(g, targets, at, teams);
  const nobody = groups.filter((x) => x.source === "nobody").map((x) => x.target);
  const lines = [`📟 **${inlineUserText(reason, 300)}**: ${mentionGroups(groups)}`];
  if (nobody.length) lines.push("", `_Nobody holds ${nobody.map((t) => `\`${t}\``).join(", ")} now; check \`governance/roles.yml\` and \`oncall.yml\`._`);
  return { groups, people: peopleOf(groups), body: lines.join("\n"), nobody };
}
