/**
 * The app's webhook deliveries: `GET /app/hook/deliveries` (newest first, `per_page`, `cursor`
 * pagination through the Link header, `status=success|failure` by status code range as GitHub
 * documents) and `POST /app/hook/deliveries/{delivery_id}/attempts` (202; the redelivery is sent
 * right after the answer).
 */
import { notFound } from "../errors.js";
import type { HookDeliveryRecord } from "../hook-deliveries.js";
import type { RouteTable } from "./types.js";

function render(r: HookDeliveryRecord): Record<string, unknown> {
  return {
    id: r.id,
    guid: r.guid,
    delivered_at: r.deliveredAt,
    redelivery: r.redelivery,
    duration: r.durationSeconds,
    status: r.status,
    status_code: r.statusCode,
    event: r.event,
    action: r.action,
    installation_id: r.installationId,
    repository_id: r.repositoryId,
    throttled_at: null,
  };
}

export const hookDeliveryRoutes: RouteTable = {
  "GET /app/hook/deliveries": (ctx) => {
    const perPage = Math.min(100, Math.max(1, Number.parseInt(ctx.query.get("per_page") ?? "30", 10) || 30));
    const cursor = Number.parseInt(ctx.query.get("cursor") ?? "", 10);
    const status = ctx.query.get("status");
    let items = ctx.store.hookDeliveries.newestFirst();
    if (status === "success") items = items.filter((r) => r.statusCode >= 200 && r.statusCode <= 399);
    if (status === "failure") items = items.filter((r) => r.statusCode >= 400 && r.statusCode <= 599);
    if (Number.isFinite(cursor)) items = items.filter((r) => r.id < cursor);
    const page = items.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (items.length > perPage && page.length > 0) {
      const u = new URL(ctx.url.href);
      u.searchParams.set("per_page", String(perPage));
      u.searchParams.set("cursor", String(page.at(-1)!.id));
      headers.link = `<${u.href}>; rel="next"`;
    }
    return { status: 200, body: page.map(render), headers };
  },

  "POST /app/hook/deliveries/{delivery_id}/attempts": (ctx) => {
    const record = ctx.store.hookDeliveries.byId(Number(ctx.params.delivery_id));
    if (!record) throw notFound();
    const send = ctx.store.hookDeliveries.redeliver;
    if (send) setImmediate(() => void send(record).catch(() => undefined));
    return { status: 202, body: {} };
  },
};
