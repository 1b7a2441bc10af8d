import { formatClock } from "../incidents/time.js";
import { channelLabel } from "./route.js";
import type { DeliveryRecord, Outbox } from "./outbox.js";

/**
 * How one delivery stands, in words: `Slack #ingestion-rollout 12:16 CEST`, `Teams ops failed
 * (HTTP 500), attempt 2, retrying 12:17 CEST`. `sameAs`: a time written like this is left out (the
 * page's own time, said once).
 */
export function deliveryWords(d: DeliveryRecord, zone: string, sameAs?: string): string {
  const label = channelLabel(d.kind, d.title);
  const action = d.kind === "pagerduty" && d.action && d.action !== "trigger" ? ` (${d.action === "acknowledge" ? "acknowledged" : "resolved"})` : "";
  const backup = d.backupOf ? " (backup contact)" : "";
  switch (d.status) {
    case "sent": {
      const at = d.at ? formatClock(Date.parse(d.at), zone) : "";
      return `${label}${action}${backup}${at && at !== sameAs ? ` ${at}` : ""}`;
    }
    case "pending":
    case "sending":
      return `${label}${action}${backup} sending`;
    case "failed":
      return d.next
        ? `${label}${action}${backup} failed (${d.error ?? "?"}), attempt ${d.attempts}, retrying ${formatClock(Date.parse(d.next), zone)}`
        : `${label}${action}${backup} failed (${d.error ?? "?"})${d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}`;
    case "unknown":
      return `${label}${action}${backup} not confirmed (${d.error ?? "Charter stopped while sending"})`;
  }
}

/** The deliveries of one message, in the order they were recorded. */
export function deliveriesOf(outbox: Outbox | undefined, messageKey: string): DeliveryRecord[] {
  return (outbox?.deliveries ?? []).filter((d) => d.message === messageKey);
}

/**
 * Where a page went, for the status comment: `on GitHub, Slack #x, PagerDuty (on-call secondary);
 * Teams ops failed (HTTP 500), attempt 1, retrying 12:17 CEST`. Times equal to `pageAt` (the
 * page's own, already said) are left out.
 */
export function channelsPhrase(outbox: Outbox | undefined, messageKey: string, zone: string, pageAt?: string): string {
  const ds = deliveriesOf(outbox, messageKey);
  const ok = ["GitHub", ...ds.filter((d) => d.status === "sent").map((d) => deliveryWords(d, zone, pageAt))];
  const rest = ds.filter((d) => d.status !== "sent").map((d) => deliveryWords(d, zone));
  return `on ${ok.join(", ")}${rest.length ? `; ${rest.join("; ")}` : ""}`;
}

/** What a message key stands for, in words: `i1` incident start, `s1.1` step 2, `u…` update. */
export function messageWords(key: string): string {
  const step = /^s\d+\.(\d+)$/.exec(key);
  if (step) return `page: step ${Number(step[1]) + 1}`;
  const repeat = /^r\d+\.(\d+)$/.exec(key);
  if (repeat) return `page: repeat ${repeat[1]}`;
  switch (key[0]) {
    case "i":
      return key === "i1" ? "incident start" : "reopened";
    case "o":
      return "page: routing";
    case "p":
      return "page: /page";
    case "t":
      return "page: acknowledgement lapsed";
    case "u":
      return "update";
    case "a":
      return "acknowledgement";
    case "x":
      return "resolution";
    default:
      return key;
  }
}

/**
 * The status comment's account of channels outside GitHub: one row per delivery (what, where,
 * how it stands), folded unless something failed. Empty when nothing was sent anywhere else.
 */
export function notificationsSection(state: { notify?: Outbox; zone: string }): string[] {
  const ds = state.notify?.deliveries ?? [];
  if (ds.length === 0) return [];
  const count = (f: (d: DeliveryRecord) => boolean) => ds.filter(f).length;
  const sent = count((d) => d.status === "sent");
  const retrying = count((d) => d.status === "failed" && d.next !== undefined);
  const failed = count((d) => d.status === "failed" && d.next === undefined);
  const unknown = count((d) => d.status === "unknown");
  const sending = count((d) => d.status === "pending" || d.status === "sending");
  const parts = [`${sent} sent`, retrying && `${retrying} retrying`, failed && `${failed} failed`, unknown && `${unknown} not confirmed`, sending && `${sending} sending`].filter(Boolean);
  const rows = ds.map((d) => {
    const words = deliveryWords(d, state.zone).slice(channelLabel(d.kind, d.title).length).trim();
    const cell = d.status === "sent" ? `sent ${words}`.trim() : words;
    return `| ${messageWords(d.message)} | ${channelLabel(d.kind, d.title).replace(/\|/g, "\\|")} | ${cell.replace(/\|/g, "\\|")} |`;
  });
  return [`<details${retrying || failed || unknown ? " open" : ""}><summary>Notifications outside GitHub: ${parts.join(", ")}</summary>`, "", "| Message | Channel | State |", "|---|---|---|", ...rows, "", "</details>"];
}
