/**
 * Real receivers on loopback for the channels Charter sends to: HTTP endpoints standing in for a
 * Slack incoming webhook, a Microsoft Teams webhook, a generic webhook and PagerDuty's Events API
 * v2, and an SMTP server (the `smtp-server` package) receiving email. Each records what arrived;
 * each can be told to answer 500, to hang (a timeout), or to answer 400.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  at: number;
}

/** What the next requests are answered with: a status, or `hang` (never answer). Consumed in order; then `otherwise`. */
export type Answer = number | "hang";

export class HttpReceiver {
  readonly received: Received[] = [];
  answers: Answer[] = [];
  otherwise: Answer = 200;
  /** Body of a 2xx answer (PagerDuty answers JSON). */
  okBody = "ok";
  #server: Server;
  #hanging = new Set<IncomingMessage>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(okBody = "ok"): Promise<HttpReceiver> {
    const ref: { self?: HttpReceiver } = {};
    const server = createServer((req, res) => {
      const self = ref.self;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        self!.received.push({ path: req.url ?? "/", headers, body, json, at: Date.now() });
        const answer = self!.answers.length ? self!.answers.shift()! : self!.otherwise;
        if (answer === "hang") {
          self!.#hanging.add(req);
          return;
        }
        res.writeHead(answer, { "content-type": answer < 300 && self!.okBody.startsWith("{") ? "application/json" : "text/plain" });
        res.end(answer < 300 ? self!.okBody : `error ${answer}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const self = new HttpReceiver(server);
    self.okBody = okBody;
    ref.self = self;
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const r of this.#hanging) r.socket?.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export interface Mail {
  from: string;
  to: string[];
  data: string;
}

export class SmtpReceiver {
  readonly mails: Mail[] = [];
  #server: SMTPServer;
  #port = 0;

  private constructor(server: SMTPServer) {
    this.#server = server;
  }

  static async start(): Promise<SmtpReceiver> {
    const ref: { self?: SmtpReceiver } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          ref.self!.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const self = new SmtpReceiver(server);
    ref.self = self;
    self.#port = (server.server.address() as AddressInfo).port;
    return self;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  /** A header of a received mail (unfolded). */
  static header(mail: Mail, name: string): string | undefined {
    const head = mail.data.split(/\r?\n\r?\n/)[0] ?? "";
    const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
    const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A signing secret in the Standard Webhooks format (`whsec_` + base64 of 24 bytes), made per test run. */
export function webhookSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return `whsec_${Buffer.from(bytes).toString("base64")}`;
}

export interface Receivers {
  slack: HttpReceiver;
  teams: HttpReceiver;
  webhook: HttpReceiver;
  pagerduty: HttpReceiver;
  smtp: SmtpReceiver;
  secret: string;
  routingKey: string;
  /** The environment Charter reads the channels' secrets from. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A PagerDuty integration key has 32 characters. */
export const ROUTING_KEY = "R0UT1NGKEY0F32CHARACTERSxxxxxxxx".slice(0, 32);

export async function startReceivers(): Promise<Receivers> {
  const [slack, teams, webhook, pagerduty, smtp] = await Promise.all([
    HttpReceiver.start("ok"),
    HttpReceiver.start("1"),
    HttpReceiver.start("ok"),
    HttpReceiver.start(JSON.stringify({ status: "success", message: "Event processed", dedup_key: "x" })),
    SmtpReceiver.start(),
  ]);
  pagerduty.otherwise = 202;
  const secret = webhookSecret();
  return {
    slack,
    teams,
    webhook,
    pagerduty,
    smtp,
    secret,
    routingKey: ROUTING_KEY,
    env: {
      CHARTER_TEST_SLACK_URL: `${slack.url}/services/T000/B000/test`,
      CHARTER_TEST_TEAMS_URL: `${teams.url}/webhookb2/test`,
      CHARTER_TEST_WEBHOOK_URL: `${webhook.url}/charter`,
      CHARTER_TEST_WEBHOOK_SECRET: secret,
      CHARTER_TEST_PAGERDUTY_KEY: ROUTING_KEY,
      CHARTER_PAGERDUTY_EVENTS_URL: `${pagerduty.url}/v2/enqueue`,
      CHARTER_TEST_SMTP_URL: smtp.url,
    },
    async stop() {
      await Promise.all([slack.stop(), teams.stop(), webhook.stop(), pagerduty.stop(), smtp.stop()]);
    },
  };
}

/**
 * A notify.yml with one channel of each kind, every one of them a contact of the on-call
 * secondary (so a page of the secondary goes to all five), the incident start, updates and
 * resolution routed to Slack and Teams.
 */
export const ALL_CHANNELS_NOTIFY = `version: 1
channels:
  ingestion-rollout: { kind: slack, title: "#ingestion-rollout", url: { env: CHARTER_TEST_SLACK_URL } }
  ops-teams: { kind: teams, title: Ops (Teams), url: { env: CHARTER_TEST_TEAMS_URL } }
  oncall-email: { kind: email, title: on-call list, to: [oncall@example.com], from: "Charter <charter@example.com>", smtp: { env: CHARTER_TEST_SMTP_URL } }
  audit-hook: { kind: webhook, title: audit hook, url: { env: CHARTER_TEST_WEBHOOK_URL }, secret: { env: CHARTER_TEST_WEBHOOK_SECRET } }
  pager-secondary: { kind: pagerduty, title: PagerDuty (on-call secondary), routing_key: { env: CHARTER_TEST_PAGERDUTY_KEY } }
contacts:
  on-call-secondary: { primary: [pager-secondary, ingestion-rollout, ops-teams, oncall-email, audit-hook] }
routes:
  - events: [incident.start, incident.update, incident.resolved]
    to: [ingestion-rollout, ops-teams]
`;
