import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { Conditions } from '../conditions.js';

/** A browser's `PushSubscription.toJSON()`. */
export interface BrowserPushSubscription {
  readonly endpoint: string;
  readonly expirationTime: number | null;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface ReceivedPush {
  /** The subscription the request was for (the endpoint's last path segment). */
  readonly subscriptionId: string;
  readonly headers: IncomingHttpHeaders;
  /** Whether the VAPID JWT verified: ES256 with the key in `k`, audience this origin, exp within 24 h, a subject. */
  readonly vapidVerified: boolean;
  readonly vapidError?: string;
  readonly vapidClaims?: JWTPayload;
  /** `k` of the Authorization header: the application server's public key. */
  readonly vapidPublicKey?: string;
  /** The plaintext, decrypted with the subscription's private key and auth secret by `http_ece`; null when it failed. */
  readonly plaintext: string | null;
  readonly decryptError?: string;
  readonly ttl: number | null;
  readonly urgency: string | null;
  readonly topic: string | null;
}

export interface PushServiceAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

/** How the service answers its `n`-th verified request for a live subscription (0-based). */
export type PushServiceBehaviour = (n: number, push: ReceivedPush) => PushServiceAnswer;

interface BrowserKeys {
  readonly ecdh: ECDH;
  readonly auth: Buffer;
  readonly applicationServerKey?: string;
  gone: boolean;
}

/**
 * A Web Push service on loopback, playing the browser's side too: `subscribe()` makes keys the way a
 * browser does and returns the PushSubscription JSON. Every request's VAPID JWT is verified with
 * `jose` (not web-push) and its aes128gcm body decrypted with `http_ece` and the subscription's private
 * key, so a test sees what a browser would. Requests that fail VAPID get 403, an unsubscribed endpoint
 * 410, an unknown one 404, like real push services.
 */
export class PushServiceReceiver {
  readonly received: ReceivedPush[] = [];
  private readonly conditions = new Conditions();
  private readonly browsers = new Map<string, BrowserKeys>();
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private behaviour: PushServiceBehaviour,
  ) {}

  static async start(options: { behaviour?: PushServiceBehaviour; host?: string } = {}): Promise<PushServiceReceiver> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new PushServiceReceiver(server, `http://${host.includes(':') ? `[${host}]` : host}:${port}`, options.behaviour ?? (() => ({ status: 201 })));
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 8192) chunks.push(c);
      });
      req.on('end', () => {
        // Real push services refuse bodies over 4096 bytes (RFC 8030 §7.2) with 413.
        if (size > 4096) return void res.writeHead(413).end();
        void receiver.handle(req.url ?? '/', req.headers, Buffer.concat(chunks)).then((answer) => res.writeHead(answer.status, answer.headers ?? {}).end());
      });
    });
    return receiver;
  }

  /** A new browser subscription; with `applicationServerKey`, pushes signed with another key get 403. */
  subscribe(options: { applicationServerKey?: string } = {}): BrowserPushSubscription {
    const id = randomUUID();
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    this.browsers.set(id, { ecdh, auth, ...(options.applicationServerKey && { applicationServerKey: options.applicationServerKey }), gone: false });
    return { endpoint: `${this.origin}/push/${id}`, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
  }

  /** The browser unsubscribed (or the user cleared site data): the endpoint answers 410 from now on. */
  unsubscribe(endpoint: string): void {
    const browser = this.browsers.get(endpoint.split('/').pop() ?? '');
    if (browser) browser.gone = true;
  }

  answerWith(behaviour: PushServiceBehaviour): void {
    this.behaviour = behaviour;
  }

  /** The decrypted payloads received for `endpoint`, parsed as JSON. */
  payloadsFor(endpoint: string): unknown[] {
    const id = endpoint.split('/').pop();
    return this.received.filter((r) => r.subscriptionId === id && r.plaintext !== null).map((r) => JSON.parse(r.plaintext!) as unknown);
  }

  waitForPushes(count: number, timeoutMs = 10_000): Promise<void> {
    return this.conditions.waitUntil(
      () => this.received.length >= count,
      () => `${count} pushes at ${this.origin} (got ${this.received.length})`,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<PushServiceAnswer> {
    const match = /^\/push\/([0-9a-f-]{36})$/.exec(path);
    const subscriptionId = match?.[1] ?? '';
    const browser = this.browsers.get(subscriptionId);
    const vapid = await this.verifyVapid(String(headers.authorization ?? ''), browser?.applicationServerKey);
    const decrypted = browser ? decrypt(body, browser) : { plaintext: null, decryptError: 'unknown subscription' };
    const push: ReceivedPush = {
      subscriptionId,
      headers,
      ...vapid,
      ...decrypted,
      ttl: headers.ttl === undefined ? null : Number(headers.ttl),
      urgency: typeof headers.urgency === 'string' ? headers.urgency : null,
      topic: typeof headers.topic === 'string' ? headers.topic : null,
    };
    this.received.push(push);
    this.conditions.notify();
    if (!browser) return { status: 404 };
    if (!push.vapidVerified) return { status: 403 };
    // RFC 8030 §5.2: TTL is required.
    if (push.ttl === null || !Number.isInteger(push.ttl)) return { status: 400 };
    if (browser.gone) return { status: 410 };
    return this.behaviour(this.accepted++, push);
  }

  private async verifyVapid(authorization: string, expectedKey: string | undefined): Promise<Pick<ReceivedPush, 'vapidVerified' | 'vapidError' | 'vapidClaims' | 'vapidPublicKey'>> {
    const match = /^vapid\s+(.+)$/i.exec(authorization);
    if (!match) return { vapidVerified: false, vapidError: 'no vapid Authorization header' };
    const params = Object.fromEntries(match[1]!.split(',').map((p) => p.trim().split('=') as [string, string]));
    const token = params.t;
    const k = params.k;
    if (!token || !k) return { vapidVerified: false, vapidError: 'vapid header lacks t= or k=' };
    try {
      if (expectedKey && k !== expectedKey) throw new Error('k is not the applicationServerKey the browser subscribed with');
      const raw = Buffer.from(k, 'base64url');
      if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
      if (decodeProtectedHeader(token).alg !== 'ES256') throw new Error('alg is not ES256');
      const key = await importJWK({ kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, 'ES256');
      const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'], audience: this.origin, requiredClaims: ['exp', 'sub'] });
      // RFC 8292 §2: exp no more than 24 hours after the request.
      if (payload.exp! > Math.floor(Date.now() / 1000) + 24 * 3600) throw new Error('exp is more than 24 h ahead');
      if (!/^(mailto:|https:)/.test(String(payload.sub))) throw new Error('sub is not a mailto: or https: URL');
      return { vapidVerified: true, vapidClaims: payload, vapidPublicKey: k };
    } catch (error) {
      return { vapidVerified: false, vapidError: (error as Error).message, vapidPublicKey: k };
    }
  }
}

function decrypt(body: Buffer, browser: BrowserKeys): { plaintext: string | null; decryptError?: string } {
  try {
    return { plaintext: ece.decrypt(body, { version: 'aes128gcm', privateKey: browser.ecdh, authSecret: browser.auth }).toString('utf8') };
  } catch (error) {
    return { plaintext: null, decryptError: (error as Error).message };
  }
}
