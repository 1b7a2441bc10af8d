import { parseDuration } from "../../duration.js";
import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";

const FILE = "incidents.yml";

/** GitHub label names are unique regardless of case (and surrounding blanks). */
function labelKey(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * incidents.yml on its own terms: every label names one thing, the default severity exists,
 * each ladder is read top to bottom in time order, and every severity pages or assigns someone.
 * (Durations are checked in durations.ts, templates in templates.ts, references in references.ts.)
 */
export function incidentProblems(g: Governance): Problem[] {
  const inc = g.incidents;
  if (!inc) return [];
  const problems: Problem[] = [];
  const names = Object.keys(inc.severities);

  const labelOwner = new Map<string, string>([[labelKey(inc.label.name), "the incident label (label.name)"]]);
  for (const [name, sev] of Object.entries(inc.severities)) {
    const key = labelKey(sev.label);
    const taken = labelOwner.get(key);
    if (taken !== undefined) {
      problems.push({
        file: FILE,
        path: ["severities", name, "label"],
        message: `severity ${name} uses the label "${sev.label}", which is already ${taken}`,
        hint: "every severity needs its own label (GitHub label names ignore case), e.g. \"severity: " + name + "\"",
      });
    } else labelOwner.set(key, `severity ${name}'s label`);
  }

  if (inc.public?.label) {
    const taken = labelOwner.get(labelKey(inc.public.label.name));
    if (taken !== undefined) {
      problems.push({
        file: FILE,
        path: ["public", "label", "name"],
        message: `the triage label "${inc.public.label.name}" of public reports is already ${taken}`,
        hint: 'a report is not an incident yet: give it a label of its own, e.g. "incident: unconfirmed"',
      });
    }
  }

  if (inc.default_severity !== undefined && !Object.hasOwn(inc.severities, inc.default_severity)) {
    problems.push({
      file: FILE,
      path: ["default_severity"],
      message: `default_severity \`${inc.default_severity}\` is not a severity`,
      hint: didYouMean(inc.default_severity, names, { unique: true }) ?? `use one of: ${names.join(", ") || "(no severities defined)"}`,
    });
  }

  for (const [name, sev] of Object.entries(inc.severities)) {
    let latest: { ms: number; step: number; text: string } | undefined;
    sev.escalation.forEach((step, i) => {
      const ms = parseDuration(step.after);
      if (ms === undefined) return;
      if (latest && ms < latest.ms) {
        problems.push({
          file: FILE,
          path: ["severities", name, "escalation", i, "after"],
          message: `severity ${name}: escalation step ${i + 1} (after ${step.after}) comes before step ${latest.step} (after ${latest.text}) in time but after it in the list`,
          hint: "list the steps in order of `after`: the ladder is read top to bottom",
        });
      }
      if (!latest || ms >= latest.ms) latest = { ms, step: i + 1, text: step.after };
    });
    const assigned = sev.assign ?? sev.escalation[0]?.notify[0];
    if (sev.backup !== undefined && sev.backup === assigned) {
      problems.push({
        file: FILE,
        path: ["severities", name, "backup"],
        message: `severity ${name}: the backup \`${sev.backup}\` is the role assigned, so the start message would name the same people twice`,
        hint: "name another role or tier as the backup, e.g. on-call-secondary, or remove `backup` to name the first ladder target after the assigned one",
      });
    }
    if (sev.remind !== undefined && sev.updates_every === undefined) {
      problems.push({
        file: FILE,
        path: ["severities", name, "remind"],
        at: "key",
        message: `severity ${name} says who is reminded (\`remind\`) but has no \`updates_every\`, so nobody is ever reminded`,
        hint: "add `updates_every:`, e.g. 30m, or remove `remind`",
      });
    }
    const seen = new Set<string>();
    (sev.remind ?? []).forEach((r, i) => {
      if (seen.has(r)) problems.push({ file: FILE, path: ["severities", name, "remind", i], message: `severity ${name}: \`${r}\` is listed twice in \`remind\``, hint: "list each role or tier once" });
      seen.add(r);
    });
    if (sev.escalation.length === 0 && sev.assign === undefined) {
      problems.push({
        file: FILE,
        path: ["severities", name, "escalation"],
        message: `severity ${name} has no escalation steps and no \`assign\`: nobody would be paged or assigned`,
        hint: "add a step such as `- { after: 0m, notify: [on-call-primary] }`, or `assign:` a role",
      });
    }
  }
  for (const [area, r] of Object.entries(inc.routing ?? {})) {
    if (r.backup !== undefined && r.backup === r.assign) {
      problems.push({
        file: FILE,
        path: ["routing", area, "backup"],
        message: `routing ${area}: the backup \`${r.backup}\` is the role assigned, so the start message would name the same people twice`,
        hint: "name another role or tier as the backup, or remove `backup`",
      });
    }
  }
  return problems;
}
