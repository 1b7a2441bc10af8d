/**
 * The deployment issue form (`.github/ISSUE_TEMPLATE/deployment.yml`) as GitHub renders it into the
 * issue body: `### Deployment` (the kind, from deployments.yml), `### Planned start (UTC)` (T).
 * Linear, bounded (src/core/incidents/form.ts `formSections`); fails closed: a start Charter cannot
 * read is none (the stages then show their offsets only).
 */
import { formSections } from "../incidents/form.js";
import type { DeploymentsFile } from "../model/deployments.js";

export interface DeploymentForm {
  /** The kind's id, when the answer names one. */
  kind?: string;
  /** T, when the answer is an instant Charter reads. */
  start?: Date;
}

/** `2025-11-11 05:10`, `2025-11-11T05:10Z`, `2025-11-11T05:10:00Z`: read as UTC. */
export function parseStart(text: string): Date | undefined {
  const t = text.trim().slice(0, 40);
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?: ?(?:Z|UTC))?$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? at : undefined;
}

export function parseDeploymentForm(body: string | null | undefined, file: DeploymentsFile | undefined): DeploymentForm {
  if (typeof body !== "string" || !file) return {};
  const sections = formSections(body);
  const out: DeploymentForm = {};
  const answer = sections.get("deployment") ?? "";
  const first = answer.split("\n")[0]!.trim().toLowerCase();
  for (const [id, d] of Object.entries(file.deployments)) {
    if (first === id || first === d.title.toLowerCase() || first.startsWith(`${id} `)) out.kind = id;
  }
  const start = sections.get("planned start (utc)");
  if (start) {
    const at = parseStart(start.split("\n")[0]!);
    if (at) out.start = at;
  }
  return out;
}

/** The kind of a deployment issue: by its label, else by the form's answer. */
export function deploymentKindOf(file: DeploymentsFile | undefined, labels: readonly string[], body: string | null | undefined): string | undefined {
  if (!file) return undefined;
  const lower = new Set(labels.map((l) => l.toLowerCase()));
  const byLabel = Object.entries(file.deployments).filter(([, d]) => lower.has(d.label.toLowerCase()));
  if (byLabel.length === 1) return byLabel[0]![0];
  if (byLabel.length === 0) return undefined;
  const form = parseDeploymentForm(body, file).kind;
  return form && byLabel.some(([id]) => id === form) ? form : byLabel[0]![0];
}
