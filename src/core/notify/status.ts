import { formatClock } from "../incidents/time.js";
import { channelLabel } from "./route.js";
import type { DeliveryRecord, Outbox } from "./outbox.js";

/** How one delivery stands, in words: `Slack #ingestion-rollout 12:16`, `Teams ops failed (HTTP 500), retrying 12:17`. */
export function deliveryWords(d: DeliveryRecord, zone: string, maxAttempts?: number): string {
  const label = channelLabel(d.kind, d.title);
  const action = d.kind === "pagerduty" && d.action && d.action !== "trigger" ? ` (${d.action === "acknowledge" ? "acknowledged" : "resolved"})` : "";
  const backup = d.backupOf ? " (backup contact)" : "";
  switch (d.status) {
    case "sent":
      return `${label}${action}${backup} ${d.at ? formatClock(Date.parse(d.at), zone) : ""}`.trimEnd();
    case "pending":
    case "sending":
      return `${label}${action}${backup} sending`;
    case "failed":
      return d.next
        ? `${label}${action}${backup} failed (${d.error ?? "?"}), attempt ${d.attempts}${maxAttempts ? ` of ${maxAttempts}` : ""}, retrying ${formatClock(Date.parse(d.next), zone)}`
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
 * Where a page went besides GitHub, in one phrase for the status comment: `, Slack #x 12:16,
 * PagerDuty (on-call secondary) 12:16; Teams ops failed (HTTP 500), retrying 12:17`. Empty when it
 * went nowhere else.
 */
export function channelsPhrase(outbox: Outbox | undefined, messageKey: string, zone: string, maxAttempts?: number): string {
  const ds = deliveriesOf(outbox, messageKey);
  if (ds.length === 0) return "";
  const ok = ds.filter((d) => d.status === "sent").map((d) => deliveryWords(d, zone));
  const rest = ds.filter((d) => d.status !== "sent").map((d) => deliveryWords(d, zone, maxAttempts));
  return [ok.length ? `, ${ok.join(", ")}` : "", rest.length ? `; ${rest.join("; ")}` : ""].join("");
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
export function notificationsSection(state: { notify?: Outbox; zone: string }, maxAttempts?: number): string[] {
  const ds = state.notify?.deliveries ?? [];
  if (ds.length === 0) return [];
  const count = (f: (d: DeliveryRecord) => boolean) => ds.filter(f).length;
  const sent = count((d) => d.status === "sent");
  const retrying = count((d) => d.status === "failed" && d.next !== undefined);
  const failed = count((d) => d.status === "failed" && d.next === undefined);
  const unknown = count((d) => d.status === "unknown");
  const sending = count((d) => d.status === "pending" || d.status === "sending");
  const parts = [`${sent} sent`, retrying && `${retrying} retrying`, failed && `${failed} failed`, unknown && `${unknown} not confirmed`, sending && `${sending} sending`].filter(Boolean);
  const rows = ds.map((d) => `| ${messageWords(d.message)} | ${channelLabel(d.kind, d.title).replace(/\|/g, "\\|")} | ${deliveryWords(d, state.zone, maxAttempts).slice(channelLabel(d.kind, d.title).length).trim().replace(/\|/g, "\\|") || "sent"} |`);
  return [`<details${retrying || failed || unknown ? " open" : ""}><summary>Notifications outside GitHub: ${parts.join(", ")}</summary>`, "", "| Message | Channel | State |", "|---|---|---|", ...rows, "", "</details>"];
}
