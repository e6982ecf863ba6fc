import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Conditions } from '../conditions.js';

export interface ReceivedWebhook {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Per secret the receiver was started with: whether `standardwebhooks` verified the request with it. */
  readonly verified: readonly boolean[];
  readonly receivedAt: number;
}

export interface ReceiverAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** How the receiver answers its `n`-th request (0-based); may wait (e.g. for a test's signal). */
export type ReceiverBehaviour = (n: number, request: ReceivedWebhook) => ReceiverAnswer | Promise<ReceiverAnswer>;

/**
 * A webhook receiver on loopback that checks every request with `standardwebhooks` (the Standard
 * Webhooks reference library, not our code) and records it, including whether one webhook-id was ever
 * being handled twice at the same time.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** webhook-ids that arrived while an earlier request with the same id was still open. */
  readonly concurrentDuplicates: string[] = [];
  private readonly conditions = new Conditions();
  private readonly inFlight = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly secrets: readonly string[],
    private behaviour: ReceiverBehaviour,
  ) {}

  static async start(options: { secrets: readonly string[]; behaviour?: ReceiverBehaviour; host?: string; path?: string }): Promise<WebhookReceiver> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${options.path ?? '/hooks'}`;
    const receiver = new WebhookReceiver(server, url, options.secrets, options.behaviour ?? (() => ({ status: 200, body: 'ok' })));
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void receiver.handle(req.headers, Buffer.concat(chunks).toString('utf8')).then((answer) => {
          res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
        });
      });
    });
    return receiver;
  }

  /** Changes how the next requests are answered. */
  answerWith(behaviour: ReceiverBehaviour): void {
    this.behaviour = behaviour;
  }

  waitForRequests(count: number, timeoutMs = 10_000): Promise<void> {
    return this.conditions.waitUntil(
      () => this.received.length >= count,
      () => `${count} webhook requests at ${this.url} (got ${this.received.length})`,
      timeoutMs,
    );
  }

  /** Resolves once `condition` holds over what was received (re-checked on every request). */
  waitUntil(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
    return this.conditions.waitUntil(condition, () => `${description} at ${this.url} (got ${this.received.length} requests)`, timeoutMs);
  }

  /** Distinct webhook-ids received, in first-arrival order. */
  ids(): string[] {
    return [...new Set(this.received.map((r) => r.id))];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(headers: IncomingHttpHeaders, body: string): Promise<ReceiverAnswer> {
    const id = String(headers['webhook-id'] ?? '');
    const verified = this.secrets.map((secret) => {
      try {
        new Webhook(secret).verify(body, headers as Record<string, string>);
        return true;
      } catch {
        return false;
      }
    });
    const request: ReceivedWebhook = { id, headers, body, verified, receivedAt: Date.now() };
    const open = this.inFlight.get(id) ?? 0;
    if (open > 0) this.concurrentDuplicates.push(id);
    this.inFlight.set(id, open + 1);
    const n = this.received.length;
    this.received.push(request);
    this.conditions.notify();
    try {
      return await this.behaviour(n, request);
    } finally {
      this.inFlight.set(id, (this.inFlight.get(id) ?? 1) - 1);
    }
  }
}
