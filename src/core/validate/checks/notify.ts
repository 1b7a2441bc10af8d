import { ANYONE, EVERYONE } from "../../model/common.js";
import type { Governance } from "../../model/governance.js";
import type { ChannelKind } from "../../model/notify.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";
import { suggestedEnv } from "./secrets.js";
import { knownTiers } from "./references.js";
import { listForHint } from "./refs.js";

/** The keys each kind of channel needs, and the ones it may have besides `kind`, `title`, `description`. */
const KIND_KEYS: Record<ChannelKind, { needs: string[]; may: string[]; what: string }> = {
  slack: { needs: ["url"], may: [], what: "a Slack incoming webhook" },
  teams: { needs: ["url"], may: ["format"], what: "a Microsoft Teams webhook" },
  webhook: { needs: ["url", "secret"], may: [], what: "a signed webhook" },
  pagerduty: { needs: ["routing_key"], may: ["severities", "source"], what: "a PagerDuty Events API v2 integration" },
  email: { needs: ["smtp", "to", "from"], may: [], what: "email over SMTP" },
};
const COMMON = new Set(["kind", "title", "description"]);

const NEED_HINT: Record<string, (id: string) => string> = {
  url: (id) => `add \`url: { env: ${suggestedEnv(id, "url")} }\`: the environment variable that holds the webhook URL`,
  secret: (id) => `add \`secret: { env: ${suggestedEnv(id, "secret")} }\`: the environment variable that holds the signing secret (whsec_…) the receiver verifies with`,
  routing_key: (id) => `add \`routing_key: { env: ${suggestedEnv(id, "routing_key")} }\`: the environment variable that holds the Events API v2 integration key`,
  smtp: (id) => `add \`smtp: { env: ${suggestedEnv(id, "smtp")} }\`: the environment variable that holds the SMTP URL (smtps://user:password@host:465)`,
  to: () => "add `to: [someone@example.com]`",
  from: () => "add `from: \"Charter <charter@example.com>\"`",
};

const INCIDENT_EVENT = (e: string) => e.startsWith("incident.");

/**
 * notify.yml across files: each channel has what its kind needs (and nothing of another kind's),
 * routes and contacts name channels that exist, severities and services that incidents.yml knows,
 * and roles or tiers that exist; filters apply to the events they can apply to.
 */
export function notifyProblems(g: Governance): Problem[] {
  const n = g.notify;
  if (!n) return [];
  const problems: Problem[] = [];
  const file = "notify.yml";
  const channelIds = Object.keys(n.channels);

  for (const [id, ch] of Object.entries(n.channels)) {
    const spec = KIND_KEYS[ch.kind];
    for (const key of spec.needs) {
      if ((ch as Record<string, unknown>)[key] === undefined) {
        problems.push({ file, path: ["channels", id], at: "key", message: `channel \`${id}\` (${ch.kind}) is missing \`${key}\``, hint: NEED_HINT[key]!(id) });
      }
    }
    for (const key of Object.keys(ch)) {
      if (COMMON.has(key) || spec.needs.includes(key) || spec.may.includes(key)) continue;
      const owner = (Object.entries(KIND_KEYS) as [ChannelKind, (typeof KIND_KEYS)[ChannelKind]][]).filter(([, s]) => s.needs.includes(key) || s.may.includes(key)).map(([k]) => k);
      problems.push({
        file,
        path: ["channels", id, key],
        at: "key",
        message: `\`${key}\` does not apply to channel \`${id}\`, ${spec.what} (\`kind: ${ch.kind}\`)`,
        hint: owner.length ? `\`${key}\` is for ${owner.map((k) => `\`kind: ${k}\``).join(", ")}; remove it, or change \`kind\`` : "remove it",
      });
    }
    for (const sev of Object.keys(ch.severities ?? {})) {
      if (g.incidents?.severities[sev]) continue;
      const known = Object.keys(g.incidents?.severities ?? {});
      problems.push({ file, path: ["channels", id, "severities", sev], at: "key", message: `unknown severity \`${sev}\` in channel \`${id}\``, hint: didYouMean(sev, known) ?? (known.length ? `incidents.yml defines: ${known.join(", ")}` : "there is no incidents.yml") });
    }
  }

  const channelRef = (path: (string | number)[], id: string, context: string) => {
    if (n.channels[id]) return;
    problems.push({ file, path, message: `unknown channel \`${id}\` in ${context}`, hint: didYouMean(id, channelIds) ?? (channelIds.length ? `define it under \`channels:\`, or use one of: ${listForHint(channelIds)}` : "define it under `channels:`") });
  };

  const severities = Object.keys(g.incidents?.severities ?? {});
  const areas = [...new Set([...Object.keys(g.incidents?.routing ?? {}), ...Object.keys(g.services?.services ?? {})])];
  (n.routes ?? []).forEach((r, ri) => {
    const where = `route ${ri + 1}`;
    r.to.forEach((id, i) => channelRef(["routes", ri, "to", i], id, where));
    const incidentOnly = r.events.every(INCIDENT_EVENT);
    if (!incidentOnly && (r.severities || r.services)) {
      problems.push({
        file,
        path: ["routes", ri, r.severities ? "severities" : "services"],
        at: "key",
        message: `${where} filters by ${r.severities ? "severity" : "service"}, which only incidents have, but also sends ${r.events.filter((e) => !INCIDENT_EVENT(e)).map((e) => `\`${e}\``).join(", ")}`,
        hint: "put the other events in a route of their own",
      });
    }
    if (r.roles && !r.events.every((e) => e === "incident.page")) {
      problems.push({ file, path: ["routes", ri, "roles"], at: "key", message: `${where} filters by role, which only pages have (\`incident.page\`), but sends ${r.events.filter((e) => e !== "incident.page").map((e) => `\`${e}\``).join(", ")}`, hint: "give the role filter a route of its own with `events: [incident.page]`" });
    }
    (r.severities ?? []).forEach((s, i) => {
      if (g.incidents?.severities[s]) return;
      problems.push({ file, path: ["routes", ri, "severities", i], message: `unknown severity \`${s}\` in ${where}`, hint: didYouMean(s, severities) ?? (severities.length ? `incidents.yml defines: ${severities.join(", ")}` : "there is no incidents.yml") });
    });
    (r.services ?? []).forEach((s, i) => {
      if (areas.includes(s)) return;
      problems.push({ file, path: ["routes", ri, "services", i], message: `unknown service or area \`${s}\` in ${where}`, hint: didYouMean(s, areas) ?? (areas.length ? `incidents.yml \`routing\` and services.yml define: ${listForHint(areas)}` : "define it in incidents.yml `routing` or services.yml") });
    });
  });

  const roles = Object.keys(g.roles.roles);
  const tiers = knownTiers(g);
  for (const [target, c] of Object.entries(n.contacts ?? {})) {
    const known = target.includes("/") ? tiers.includes(target) : roles.includes(target);
    if (!known) {
      const candidates = [...roles, ...tiers];
      problems.push({
        file,
        path: ["contacts", target],
        at: "key",
        message: target === ANYONE || target === EVERYONE ? `contacts are per role or tier, not \`${target}\`` : `unknown ${target.includes("/") ? "on-call tier" : "role"} \`${target}\` in contacts`,
        hint: didYouMean(target, candidates, { unique: true }) ?? `contacts are keyed by a role id from roles.yml or a tier from oncall.yml: ${listForHint(candidates)}`,
      });
    }
    c.primary.forEach((id, i) => channelRef(["contacts", target, "primary", i], id, `contacts of ${target} (primary)`));
    (c.backup ?? []).forEach((id, i) => {
      channelRef(["contacts", target, "backup", i], id, `contacts of ${target} (backup)`);
      if (c.primary.includes(id)) problems.push({ file, path: ["contacts", target, "backup", i], message: `\`${id}\` is both the primary and the backup contact of ${target}`, hint: "the backup is used when no primary channel can be reached: name another channel" });
    });
  }
  return problems;
}
