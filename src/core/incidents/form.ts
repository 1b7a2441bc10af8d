/**
 * The incident issue form (`.github/ISSUE_TEMPLATE/incident.yml`) as GitHub renders it into the
 * issue body: one `### <field label>` heading per field, a blank line, the answer; an empty answer
 * is `_No response_`.
 */
export interface IncidentForm {
  /** The severity answer as typed or picked, e.g. `P1` or `P1 — System down`. */
  severity?: string;
  impact?: string;
  /** The service or area named, e.g. `ingestion` or `Billing API`. */
  service?: string;
}

const MAX_BODY = 65_536;

/** The `### heading` sections of a body, heading lower-cased, answer trimmed. */
export function formSections(body: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = body.slice(0, MAX_BODY).replace(/\r\n?/g, "\n").split("\n");
  let heading: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (heading !== undefined && !out.has(heading)) {
      const text = buffer.join("\n").trim();
      out.set(heading, text === "_No response_" ? "" : text);
    }
  };
  for (const line of lines) {
    const m = /^###\s+(.+?)\s*$/.exec(line);
    if (m) {
      flush();
      heading = m[1]!.toLowerCase();
      buffer = [];
    } else if (heading !== undefined) buffer.push(line);
  }
  flush();
  return out;
}

function pick(sections: Map<string, string>, test: (heading: string) => boolean): string | undefined {
  for (const [h, v] of sections) if (test(h) && v !== "") return v;
  return undefined;
}

/** The incident form's answers, or undefined when the body has no `### Severity` section. */
export function parseIncidentForm(body: string | null | undefined): IncidentForm | undefined {
  if (typeof body !== "string" || body === "") return undefined;
  const sections = formSections(body);
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
  return (answer.trim().split(/\s+/)[0] ?? "").replace(/[:,.;(—–]+$/, "");
}

/** A service or area as routing keys are written: `Billing API` → `billing-api`. */
export function areaKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
