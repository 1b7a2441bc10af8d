/**
 * The GitHub the mirror app talks to (`npm run bench`'s "same requests, no logic" baseline): a
 * loopback HTTP server that answers each request with the response the emulator gave Charter for
 * the same request of the same delivery (status, headers, body), so the mirror pays exactly what a
 * client pays for those exchanges (HTTP, JSON, Octokit) and nothing for deciding. Anything not in
 * the delivery's script (app authentication) is forwarded to the emulator.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedExchange {
  method: string;
  /** Path and query, as the app requested it (e.g. `/api/v3/repos/o/r/issues?state=open`). */
  url: string;
  status: number;
  headers: [string, string][];
  body: string;
}

const HOP = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export class ReplayServer {
  private constructor(
    private readonly server: Server,
    readonly apiUrl: string,
    private readonly pending: { script: RecordedExchange[] },
  ) {}

  static async start(upstreamOrigin: string): Promise<ReplayServer> {
    const pending = { script: [] as RecordedExchange[] };
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const method = (req.method ?? "GET").toUpperCase();
        const url = req.url ?? "/";
        const i = pending.script.findIndex((e) => e.method === method && e.url === url);
        if (i >= 0) {
          const e = pending.script.splice(i, 1)[0]!;
          for (const [k, v] of e.headers) if (!HOP.has(k)) res.setHeader(k, v);
          res.statusCode = e.status;
          res.end(e.status === 204 || e.status === 304 ? undefined : e.body);
          return;
        }
        const upstream = await fetch(upstreamOrigin + url, { method, headers: Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "content-length") as [string, string][], ...(body.length ? { body } : {}) });
        res.statusCode = upstream.status;
        upstream.headers.forEach((v, k) => {
          if (!HOP.has(k)) res.setHeader(k, v);
        });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    // The emulator's keep-alive (1 s, which undici takes as "do not reuse"): both apps pay the same connection per request.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return new ReplayServer(server, `http://127.0.0.1:${port}/api/v3`, pending);
  }

  /** The next delivery's exchanges. */
  load(exchanges: readonly RecordedExchange[]): void {
    this.pending.script = [...exchanges];
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
