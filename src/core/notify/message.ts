import type { NotifyEvent } from "../model/notify.js";

/**
 * A message for channels outside GitHub, as Charter records it before sending. Every text in it
 * was written by Charter or went through the neutraliser (src/core/text/untrusted.ts): no mention
 * notifies anyone, `<` and `>` are entities (so Slack's `<!channel>` and HTML are inert), control
 * characters are gone.
 */
export interface NotifyMessage {
  /** Unique within its record (an incident): `i1` start, `s1.1` ladder step, `u…` update, `a1.0` acknowledgement, `x1` resolution. */
  key: string;
  event: NotifyEvent;
  /** One line: `P1 incident #12: Ingestion is down: step 2 pages omar-oncall (On-Call Secondary)`. */
  title: string;
  /** The message, plain text lines (D9 §7.3's templates for start, update, resolution). */
  text: string;
  /** When it happened (ISO). */
  at: string;
  /** Link to the incident (or pull request) on GitHub. */
  url?: string;
  severity?: string;
  service?: string;
  /** Roles or tiers addressed (pages). */
  targets?: string[];
  /** Logins paged. */
  people?: string[];
  /** Episode of the incident it belongs to (PagerDuty alerts are per episode's triggers). */
  episode?: number;
  /** The PagerDuty alert it is about: triggers open (or add to) it, acknowledgements and resolutions follow the incident. */
  alert?: { dedupKey: string; action: "trigger" | "acknowledge" | "resolve" };
  /** Incident facts for the signed webhook's JSON (`data.incident`). */
  incident?: { repository: string; number: number; title: string; severity: string; url?: string; service?: string };
}
