import type { Problem } from "../problem.js";

/**
 * Secrets never live in the repository. Two checks, both before a file's schema:
 *
 * - notify.yml: a channel's `url`, `secret`, `routing_key` and `smtp` name an environment variable
 *   (`url: { env: CHARTER_SLACK_ALERTS_URL }`); a literal value there, or a key that can only hold a
 *   secret (`password`, `token`, `webhook_url` …), is refused at its key with the variable to use.
 * - every governance file, comments included: text shaped like a credential (a Slack or Teams
 *   webhook URL, a Slack token, a Standard Webhooks secret `whsec_…`, a URL with a password in it)
 *   is refused where it is, whatever key (or comment) it is in.
 *
 * Anyone who can read the repository (on a public one: anyone) could post to a channel whose
 * webhook URL is in it, so the hint also says to rotate it. Linear: one pass per needle with
 * `indexOf`, and a bounded look-around at each hit.
 */

/** Keys of a channel that hold a secret, and the suffix of the environment variable suggested for each. */
export const SECRET_FIELDS: Record<string, { what: string; suffix: string }> = {
  url: { what: "a webhook URL", suffix: "URL" },
  secret: { what: "a signing secret", suffix: "SECRET" },
  routing_key: { what: "a PagerDuty routing key", suffix: "ROUTING_KEY" },
  smtp: { what: "an SMTP server URL (with its password)", suffix: "SMTP_URL" },
};

/** Keys that can only mean a secret written in the file. */
const SECRET_KEYS = new Set(["password", "pass", "passwd", "token", "api_key", "apikey", "key", "integration_key", "webhook", "webhook_url", "auth", "credentials", "user", "username"]);

/** The environment variable suggested for a channel's secret: `CHARTER_ALERTS_CRITICAL_URL`. */
export function suggestedEnv(channel: string, field: string): string {
  const suffix = SECRET_FIELDS[field]?.suffix ?? field.toUpperCase();
  return `CHARTER_${channel.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_${suffix}`;
}

const ROTATE = "then rotate it: it has been in the repository, where anyone who can read it can use it";

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** notify.yml: literal values where a secret's environment variable belongs. Works on the raw YAML value, before the schema. */
export function literalSecretProblems(value: unknown): Problem[] {
  if (!isMapping(value) || !isMapping(value.channels)) return [];
  const problems: Problem[] = [];
  for (const [id, channel] of Object.entries(value.channels)) {
    if (!isMapping(channel)) continue;
    for (const [key, v] of Object.entries(channel)) {
      const field = SECRET_FIELDS[key];
      if (field && !isMapping(v) && v !== undefined && v !== null) {
        const env = suggestedEnv(id, key);
        problems.push({
          file: "notify.yml",
          path: ["channels", id, key],
          message: `\`channels.${id}.${key}\` is written in the file: ${field.what} is a secret and never lives in the repository`,
          hint: `write \`${key}: { env: ${env} }\` and set ${env} in the server's environment (in GitHub Actions: an Actions secret mapped in the step's \`env:\`); ${ROTATE}`,
        });
      } else if (!field && SECRET_KEYS.has(key.toLowerCase())) {
        problems.push({
          file: "notify.yml",
          path: ["channels", id, key],
          at: "key",
          message: `\`channels.${id}.${key}\`: secrets never live in the repository`,
          hint:
            key.toLowerCase().startsWith("pass") || key.toLowerCase().startsWith("user")
              ? `put the SMTP user and password in the SMTP URL held by an environment variable: \`smtp: { env: ${suggestedEnv(id, "smtp")} }\` (smtps://user:password@host:465); ${ROTATE}`
              : `name the environment variable that holds it instead (\`url\`, \`secret\`, \`routing_key\` or \`smtp\`: \`{ env: NAME }\`); ${ROTATE}`,
        });
      }
    }
  }
  return problems;
}

interface Shape {
  needle: string;
  what: string;
  /** The character before the needle must not be a letter or digit (tokens such as `xoxb-`). */
  wordStart?: boolean;
}

const SHAPES: readonly Shape[] = [
  { needle: "hooks.slack.com/services/", what: "a Slack webhook URL" },
  { needle: "hooks.slack.com/workflows/", what: "a Slack workflow webhook URL" },
  { needle: "hooks.slack.com/triggers/", what: "a Slack workflow webhook URL" },
  { needle: "webhook.office.com/webhook", what: "a Microsoft Teams webhook URL" },
  { needle: "outlook.office.com/webhook", what: "a Microsoft Teams webhook URL" },
  { needle: "logic.azure.com", what: "a Microsoft Teams (Workflows) webhook URL" },
  { needle: "powerplatform.com", what: "a Microsoft Teams (Workflows) webhook URL" },
  { needle: "whsec_", what: "a webhook signing secret", wordStart: true },
  { needle: "xoxb-", what: "a Slack token", wordStart: true },
  { needle: "xoxp-", what: "a Slack token", wordStart: true },
  { needle: "xoxa-", what: "a Slack token", wordStart: true },
  { needle: "xapp-", what: "a Slack token", wordStart: true },
];

const isWordChar = (ch: string | undefined) => ch !== undefined && ((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9"));
const ends = (ch: string | undefined) => ch === undefined || ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === '"' || ch === "'" || ch === "/" || ch === "," || ch === "}" || ch === "]";

/** 1-based line and column of `index` in `text`, given the offsets where lines start. */
function position(lineStarts: readonly number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - lineStarts[lo]! + 1 };
}

/** Where the URL that contains `index` starts: back to the blank, quote or line start before it (bounded). */
function tokenStart(text: string, index: number): number {
  let i = index;
  const stop = Math.max(0, index - 200);
  while (i > stop) {
    const ch = text[i - 1];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === '"' || ch === "'" || ch === "(" || ch === "<" || ch === "[" || ch === "{" || ch === ",") break;
    i--;
  }
  return i;
}

/**
 * Credentials written anywhere in a governance file's text (values, keys, comments). Each is
 * reported once, at the start of the token it is in.
 */
export function secretTextProblems(file: string, text: string): Problem[] {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const found = new Map<number, string>();
  for (const shape of SHAPES) {
    for (let i = text.indexOf(shape.needle); i >= 0; i = text.indexOf(shape.needle, i + shape.needle.length)) {
      if (shape.wordStart && isWordChar(text[i - 1])) continue;
      const start = shape.wordStart ? i : tokenStart(text, i);
      if (!found.has(start)) found.set(start, shape.what);
    }
  }
  // a password in a URL: scheme://user:password@host
  for (let i = text.indexOf("://"); i >= 0; i = text.indexOf("://", i + 3)) {
    let colon = -1;
    let j = i + 3;
    const stop = Math.min(text.length, j + 300);
    for (; j < stop; j++) {
      const ch = text[j];
      if (ch === "@") break;
      if (ends(ch) || ch === "?" || ch === "#") {
        j = -1;
        break;
      }
      if (ch === ":" && colon < 0) colon = j;
    }
    if (j < 0 || j >= stop || colon < 0 || colon + 1 === j) continue;
    const password = text.slice(colon + 1, j);
    if (password.startsWith("$") || password.startsWith("<") || password.startsWith("*")) continue; // a placeholder
    const start = tokenStart(text, i);
    if (!found.has(start)) found.set(start, "a URL with a password in it");
  }
  return [...found.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, what]) => ({
      file,
      ...position(lineStarts, index),
      message: `${what} is written in ${file}: secrets never live in the repository`,
      hint: `name an environment variable in notify.yml instead (\`url: { env: NAME }\`, \`smtp: { env: NAME }\` …) and set it where Charter runs; ${ROTATE}`,
    }));
}
