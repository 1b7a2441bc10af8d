/**
 * The app's webhook deliveries as GitHub records them (`GET /app/hook/deliveries`): every webhook
 * the emulator sends is recorded with its outcome, newest first; a delivery that could not connect
 * is `status_code` 502, "failed to connect", as GitHub shows it. `POST …/{delivery_id}/attempts`
 * redelivers the recorded request (same guid, `redelivery: true`) and records the new attempt.
 */
export interface HookDeliveryRecord {
  id: number;
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  durationSeconds: number;
  status: string;
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  /** What to send again on a redelivery. */
  request: { url: string; payload: unknown; secret?: string };
}

export class HookDeliveries {
  readonly records: HookDeliveryRecord[] = [];
  #next = 90_000_000;
  /** Set by the emulator: sends a recorded request again (a redelivery). */
  redeliver: ((record: HookDeliveryRecord) => Promise<void>) | undefined;

  record(input: Omit<HookDeliveryRecord, "id">): HookDeliveryRecord {
    const r = { ...input, id: ++this.#next };
    this.records.push(r);
    return r;
  }

  byId(id: number): HookDeliveryRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  /** Newest first (GitHub's order). */
  newestFirst(): HookDeliveryRecord[] {
    return [...this.records].sort((a, b) => b.id - a.id);
  }
}
