import type { IncidentsFile } from "../model/incidents.js";
import type { Channel, PagerDutySeverity } from "../model/notify.js";
import { capText } from "../text/untrusted.js";
import type { NotifyMessage } from "./message.js";

/**
 * What each kind of channel is sent, built from a recorded message (pure: the adapter adds the
 * secret, signs and sends). Every text was written by Charter or neutralised before it was
 * recorded: `<` and `>` are entities, so Slack's `<!channel>`, `<@U123>` and links cannot be forged,
 * and no HTML is live in Teams or email.
 */

const lines = (m: NotifyMessage) => m.text.split("\n").filter((l) => l.trim() !== "" && l !== m.url);

/** Slack incoming webhook: `text` (the notification's fallback) and one `mrkdwn` section, with a link to GitHub. */
export function slackPayload(m: NotifyMessage): { text: string; blocks: object[] } {
  const body = capText(lines(m).join("\n"), 2_900);
  return {
    text: capText(m.title, 300),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: body } },
      ...(m.url ? [{ type: "context", elements: [{ type: "mrkdwn", text: `<${m.url}|Open on GitHub>` }] }] : []),
    ],
  };
}

/**
 * Microsoft Teams: an Adaptive Card in a message (Workflows webhooks and incoming webhooks take
 * it), or the legacy connector card (`format: messagecard`).
 */
export function teamsPayload(m: NotifyMessage, format: Channel["format"] = "adaptive"): object {
  if (format === "messagecard") {
    return {
      "@type": "MessageCard",
      "@context": "https://schema.org/extensions",
      summary: capText(m.title, 300),
      themeColor: m.event === "incident.resolved" ? "2EA043" : m.event === "incident.update" ? "D29922" : "CF222E",
      title: capText(m.title, 300),
      text: lines(m).join("\n\n"),
      ...(m.url ? { potentialAction: [{ "@type": "OpenUri", name: "Open on GitHub", targets: [{ os: "default", uri: m.url }] }] } : {}),
    };
  }
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: capText(m.title, 300), weight: "Bolder", size: "Medium", wrap: true },
            ...lines(m).slice(0, 30).map((text) => ({ type: "TextBlock", text: capText(text, 1_000), wrap: true, spacing: "None" })),
          ],
          ...(m.url ? { actions: [{ type: "Action.OpenUrl", title: "Open on GitHub", url: m.url }] } : {}),
        },
      },
    ],
  };
}

/** Email: a subject and a plain-text body. */
export function emailContent(m: NotifyMessage): { subject: string; text: string } {
  return { subject: `[Charter] ${capText(m.title, 200)}`, text: `${m.text}\n\n— Charter (${m.incident?.repository ?? "GitHub"})\n` };
}

/**
 * The signed webhook's JSON, in the Standard Webhooks shape (`type`, `timestamp`, `data`). `id` is
 * the delivery's id (also the `webhook-id` header), the same on every attempt, so a receiver can
 * drop a repeat.
 */
export function webhookBody(m: NotifyMessage, id: string): { type: string; timestamp: string; data: Record<string, unknown> } {
  return {
    type: m.event,
    timestamp: m.at,
    data: {
      id,
      ...(m.incident ? { incident: m.incident } : {}),
      message: { key: m.key, title: m.title, text: m.text, ...(m.url ? { url: m.url } : {}) },
      ...(m.targets || m.people ? { page: { targets: m.targets ?? [], people: m.people ?? [] } } : {}),
    },
  };
}

/** PagerDuty's severity for an incident severity: the channel's map, else by rank (critical, error, warning, then info). */
export function pagerDutySeverity(channel: Channel, inc: IncidentsFile | undefined, severity: string | undefined): PagerDutySeverity {
  if (severity && channel.severities?.[severity]) return channel.severities[severity]!;
  const rank = severity && inc ? Object.keys(inc.severities).indexOf(severity) : -1;
  return (["critical", "error", "warning"] as const)[rank] ?? "info";
}

/**
 * A PagerDuty Events API v2 event, without its `routing_key` (the adapter adds it from the
 * environment). A trigger carries the summary, source, severity and details; an acknowledgement or
 * resolution only the action and the alert's dedup key.
 */
export function pagerDutyEvent(
  m: NotifyMessage,
  action: "trigger" | "acknowledge" | "resolve",
  options: { dedupKey: string; source: string; severity: PagerDutySeverity },
): Record<string, unknown> {
  if (action !== "trigger") return { event_action: action, dedup_key: options.dedupKey };
  return {
    event_action: "trigger",
    dedup_key: options.dedupKey,
    payload: {
      summary: capText(m.title, 1_000),
      source: capText(options.source, 255),
      severity: options.severity,
      timestamp: m.at,
      ...(m.service ? { component: capText(m.service, 255) } : {}),
      group: capText(m.incident?.repository ?? options.source, 255),
      class: m.event,
      custom_details: {
        message: m.text,
        ...(m.incident ? { incident: m.incident } : {}),
        ...(m.people ? { paged: m.people } : {}),
        ...(m.targets ? { roles: m.targets } : {}),
      },
    },
    client: "Charter",
    ...(m.url ? { client_url: m.url, links: [{ href: m.url, text: m.incident ? `Incident #${m.incident.number} on GitHub` : "On GitHub" }] } : {}),
  };
}
