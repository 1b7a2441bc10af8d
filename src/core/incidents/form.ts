/**
 * The incident issue form (`.github/ISSUE_TEMPLATE/incident.yml`) as GitHub renders it into the
 * issue body: one `### <field label>` heading per field, a blank line, the answer; an empty answer
 * is `_No response_`.
 *
 * Linear time (one-pass scans, no backtracking regular expression): the body is parsed again on
 * every comment on an incident. A body longer than GitHub allows is not read.
 */
import { MAX_BODY_UNITS, overCap, tooLongToRead } from "../text/limits.js";
import { isSpaceCode, trimEndOf, trimOf } from "../text/scan.js";

export interface IncidentForm {
  /** The severity answer as typed or picked, e.g. `P1` or `P1 — System down`. */
  severity?: string;
  impact?: string;
  /** The service or area named, e.g. `ingestion` or `Billing API`. */
  service?: string;
}

/** The text of a `### heading` line (trimmed), or undefined when the line is not one. */
function heading(line: string): string | undefined {
  if (!line.startsWith("###") || line.length < 4 || !isSpaceCode(line.charCodeAt(3))) return undefined;
  const text = line.slice(4).trim();
  return text === "" ? undefined : text;
}

/** The `### heading` sections of a body, heading lower-cased, answer trimmed; empty when over the cap. */
export function formSections(body: string, maxUnits = MAX_BODY_UNITS): Map<string, string> {
  const out = new Map<string, string>();
  if (overCap(body, maxUnits)) return out;
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let current: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (current !== undefined && !out.has(current)) {
      const text = buffer.join("\n").trim();
      out.set(current, text === "_No response_" ? "" : text);
    }
  };
  for (const line of lines) {
    const text = heading(line);
    if (text !== undefined) {
      flush();
      current = text.toLowerCase();
      buffer = [];
    } else if (current !== undefined) buffer.push(line);
  }
  flush();
  return out;
}

function pick(sections: Map<string, string>, test: (heading: string) => boolean): string | undefined {
  for (const [h, v] of sections) if (test(h) && v !== "") return v;
  return undefined;
}

/**
 * The incident form's answers, or undefined when the body has no `### Severity` section. A body
 * longer than GitHub allows is not read: no answer is taken from it, and the impact says why (it
 * is shown in the incident-start message when the incident is opened by its labels).
 */
export function parseIncidentForm(body: string | null | undefined, maxUnits = MAX_BODY_UNITS): IncidentForm | undefined {
  if (typeof body !== "string" || body === "") return undefined;
  if (overCap(body, maxUnits)) return { impact: `(not read: ${tooLongToRead("the issue body")})` };
  const sections = formSections(body, maxUnits);
  if (![...sections.keys()].some((h) => h === "severity" || h.startsWith("severity "))) return undefined;
  const severity = pick(sections, (h) => h === "severity" || h.startsWith("severity "));
  const impact = pick(sections, (h) => h.startsWith("impact"));
  const service = pick(sections, (h) => h.startsWith("service") || h.startsWith("area") || h.startsWith("affected service"));
  return {
    ...(severity !== undefined ? { severity: severity.split("\n")[0]!.trim() } : {}),
    ...(impact !== undefined ? { impact } : {}),
    ...(service !== undefined ? { service: service.split("\n")[0]!.trim() } : {}),
  };
}

/** The first word of a severity answer: `P1 — System down` → `P1`, `SEV-1: outage` → `SEV-1`. */
export function severityWord(answer: string): string {
  return trimEndOf(answer.trim().split(/\s+/)[0] ?? "", ":,.;(—–");
}

/** A service or area as routing keys are written: `Billing API` → `billing-api`. */
export function areaKey(text: string): string {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
  return trimOf(key, "-");
}
