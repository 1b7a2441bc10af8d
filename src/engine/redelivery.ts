/**
 * Missed deliveries: GitHub does not redeliver on its own. A periodic job lists the app's recent
 * deliveries (`GET /app/hook/deliveries`, newest first, authenticated as the app) back to the
 * previous run (with a margin; 6 hours after a cold start), and asks GitHub to redeliver
 * (`POST /app/hook/deliveries/{delivery_id}/attempts`) each delivery (guid) that:
 * - failed every attempt listed (no 2xx/3xx answer), and
 * - was never redelivered (no attempt marked `redelivery`), and
 * - this engine has not redelivered already (a marker per guid, kept 3 days: GitHub's window).
 * So each missed delivery is redelivered at most once; the redelivery carries the same delivery id,
 * which the engine drops if the original was processed after all.
 */
import type { EngineStore } from "./types.js";

interface DeliveryItem {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  event: string;
  action: string | null;
}

export interface AppClient {
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown; headers: Record<string, string | number | undefined> }>;
}

export interface RedeliveryReport {
  listed: number;
  redelivered: { guid: string; id: number; event: string; action: string | null }[];
  requests: number;
}

const MARGIN_MS = 10 * 60_000;
const COLD_LOOKBACK_MS = 6 * 3600_000;
const KEEP_MS = 3 * 24 * 3600_000;
const MAX_PAGES = 50;

const succeeded = (code: number) => code >= 200 && code < 400;

function nextCursor(link: string | number | undefined): string | undefined {
  if (typeof link !== "string") return undefined;
  for (const part of link.split(",")) {
    if (!part.includes('rel="next"')) continue;
    const url = part.slice(part.indexOf("<") + 1, part.indexOf(">"));
    try {
      return new URL(url).searchParams.get("cursor") ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export async function redeliverMissed(app: AppClient, store: EngineStore, now: Date, log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void }): Promise<RedeliveryReport> {
  const last = await store.get("redelivery:last");
  const since = last ? Date.parse(last) - MARGIN_MS : now.getTime() - COLD_LOOKBACK_MS;
  const byGuid = new Map<string, DeliveryItem[]>();
  let cursor: string | undefined;
  let requests = 0;
  let listed = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data, headers } = await app.request("GET /app/hook/deliveries", { per_page: 100, ...(cursor ? { cursor } : {}) });
    requests++;
    const items = data as DeliveryItem[];
    let older = false;
    for (const d of items) {
      if (Date.parse(d.delivered_at) < since) {
        older = true;
        continue;
      }
      listed++;
      const list = byGuid.get(d.guid) ?? [];
      list.push(d);
      byGuid.set(d.guid, list);
    }
    cursor = nextCursor(headers.link);
    if (older || !cursor || items.length === 0) break;
  }
  const report: RedeliveryReport = { listed, redelivered: [], requests };
  for (const [guid, attempts] of byGuid) {
    if (attempts.some((a) => succeeded(a.status_code) || a.redelivery)) continue;
    if (!(await store.setOnce(`redelivered:${guid}`, now.toISOString(), KEEP_MS))) continue;
    const newest = attempts.reduce((a, b) => (Date.parse(b.delivered_at) > Date.parse(a.delivered_at) ? b : a));
    try {
      await app.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: newest.id });
      report.requests++;
      report.redelivered.push({ guid, id: newest.id, event: newest.event, action: newest.action });
      log?.info({ guid, event: newest.event, action: newest.action }, `asked GitHub to redeliver ${newest.event}${newest.action ? `.${newest.action}` : ""} (delivery ${guid}), which failed`);
    } catch (error) {
      report.requests++;
      await store.delete(`redelivered:${guid}`).catch(() => undefined);
      log?.warn({ guid, err: error }, `could not ask GitHub to redeliver delivery ${guid}`);
    }
  }
  await store.set("redelivery:last", now.toISOString(), KEEP_MS);
  return report;
}
