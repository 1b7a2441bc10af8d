import type { IncidentsFile, Severity } from "../model/incidents.js";

const key = (s: string) => s.trim().toLowerCase();

/** Severity names in file order: most severe first. */
export function severityNames(inc: IncidentsFile): string[] {
  return Object.keys(inc.severities);
}

/** 0 for the most severe; larger is milder. Unknown names rank last. */
export function severityRank(inc: IncidentsFile, name: string): number {
  const i = severityNames(inc).indexOf(name);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** A severity as a person writes it: `P1`, `p1`, or its label `severity: P1`. */
export function findSeverity(inc: IncidentsFile, text: string): string | undefined {
  const wanted = key(text);
  if (wanted === "") return undefined;
  const entries = Object.entries(inc.severities);
  return (
    entries.find(([n]) => n === text.trim())?.[0] ??
    entries.find(([n]) => key(n) === wanted)?.[0] ??
    entries.find(([, s]) => key(s.label) === wanted)?.[0]
  );
}

export function severityOf(inc: IncidentsFile, name: string): Severity | undefined {
  return inc.severities[name];
}

/** The severity named by an issue's labels; the most severe one if several are present. */
export function severityFromLabels(inc: IncidentsFile, labels: readonly string[]): string | undefined {
  const present = new Set(labels.map(key));
  return severityNames(inc).find((n) => present.has(key(inc.severities[n]!.label)));
}

/** Labels of every severity present on the issue, as written on the issue. */
export function severityLabelsOn(inc: IncidentsFile, labels: readonly string[]): string[] {
  const wanted = new Set(Object.values(inc.severities).map((s) => key(s.label)));
  return labels.filter((l) => wanted.has(key(l)));
}

export function hasIncidentLabel(inc: IncidentsFile, labels: readonly string[]): boolean {
  return labels.some((l) => key(l) === key(inc.label.name));
}

/** Whether a label is the incident label or a severity label. */
export function isIncidentLabel(inc: IncidentsFile, label: string): boolean {
  return key(label) === key(inc.label.name) || Object.values(inc.severities).some((s) => key(s.label) === key(label));
}

/** The severity used when the issue names none: `default_severity`, else the mildest one. */
export function fallbackSeverity(inc: IncidentsFile): string | undefined {
  if (inc.default_severity && inc.severities[inc.default_severity]) return inc.default_severity;
  return severityNames(inc).at(-1);
}
