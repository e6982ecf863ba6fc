import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WEBHOOK_LIMITS, type WebhookRequest, type WebhookResponse, type WebhookSender } from '@pushline/domain';
import { signStandardWebhook } from './standard-webhooks-signature.js';
import { RefusedDestinationError, type WebhookDestinationPolicy } from './webhook-destination-policy.js';

export interface HttpWebhookSenderOptions {
  /** Longest an attempt may take in all, response body included (`WEBHOOK_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  /** Longest to wait for the TCP connection. Default: the smaller of 5 s and `timeoutMs`. */
  readonly connectTimeoutMs?: number;
  /** Open connections per receiver origin, reused between attempts. Default 16. */
  readonly maxSocketsPerHost?: number;
  readonly userAgent?: string;
}

/**
 * Posts signed webhook requests. The destination policy runs inside the socket's address lookup, so
 * the address checked is the address connected to (no re-resolution in between); redirects are never
 * followed (a 3xx counts as a failed attempt), so no redirect can lead inward. The response body is
 * read only up to the first KiB.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };
  private readonly lookup: LookupFunction;

  constructor(
    private readonly policy: WebhookDestinationPolicy,
    private readonly options: HttpWebhookSenderOptions,
  ) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 16, timeout: options.timeoutMs };
    this.agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
    this.lookup = (hostname, lookupOptions, callback) => {
      policy.addressesFor(hostname).then(
        (addresses) => {
          if (lookupOptions.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };
  }

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const url = new URL(request.url);
    try {
      // IP literals never reach the socket's lookup: check them here (names are checked in the lookup).
      if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) await this.policy.addressesFor(url.hostname);
    } catch (error) {
      return { statusCode: null, durationMs: elapsed(), error: messageOf(error), responseBody: null };
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(request.body)),
      'user-agent': this.options.userAgent ?? 'Pushline-Webhooks/1',
      'webhook-id': request.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(request.id, timestamp, request.body, request.secrets),
      ...(request.replay && { 'pushline-replay': 'true' }),
    };
    try {
      const { response, body } = await this.post(url, headers, request.body);
      const statusCode = response.statusCode ?? null;
      const redirect = statusCode !== null && statusCode >= 300 && statusCode < 400;
      return {
        statusCode,
        durationMs: elapsed(),
        error: redirect ? `redirect to ${response.headers.location ?? '(no location)'} not followed` : null,
        responseBody: body,
        ...((statusCode === 429 || statusCode === 503) && retryAfterOf(response)),
      };
    } catch (error) {
      return { statusCode: null, durationMs: elapsed(), error: messageOf(error), responseBody: null };
    }
  }

  /** Closes the kept-alive connections (at shutdown). */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private post(url: URL, headers: Record<string, string>, body: string): Promise<{ response: IncomingMessage; body: string }> {
    const { timeoutMs } = this.options;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? Math.min(5000, timeoutMs);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method: 'POST', headers, agent: this.agents[url.protocol as 'http:' | 'https:'], lookup: this.lookup });
      const fail = (message: string) => req.destroy(new Error(message));
      const overall = setTimeout(() => fail(`no complete response within ${timeoutMs} ms`), timeoutMs);
      let connectTimer: NodeJS.Timeout | undefined;
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail(`could not connect within ${connectTimeoutMs} ms`), connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      const done = () => {
        clearTimeout(overall);
        clearTimeout(connectTimer);
      };
      req.on('error', (error) => {
        done();
        reject(error);
      });
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = () => {
          done();
          // PostgreSQL text cannot hold NUL: a binary answer must not make the attempt unloggable.
          resolve({ response, body: Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', '') });
        };
        response.on('data', (chunk: Buffer) => {
          if (kept >= WEBHOOK_LIMITS.responseBodyBytes) return;
          const part = chunk.subarray(0, WEBHOOK_LIMITS.responseBodyBytes - kept);
          chunks.push(part);
          kept += part.length;
          // Enough for the log: stop reading rather than take an unbounded body.
          if (kept >= WEBHOOK_LIMITS.responseBodyBytes) {
            finish();
            response.destroy();
          }
        });
        response.on('end', finish);
        response.on('error', finish);
      });
      req.end(body);
    });
  }
}

function retryAfterOf(response: IncomingMessage): { retryAfterMs?: number } {
  const raw = response.headers['retry-after'];
  if (!raw) return {};
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return { retryAfterMs: seconds * 1000 };
  const date = Date.parse(raw);
  return Number.isNaN(date) ? {} : { retryAfterMs: Math.max(0, date - Date.now()) };
}

function messageOf(error: unknown): string {
  if (error instanceof RefusedDestinationError) return `destination refused: ${error.message}`;
  const e = error as { code?: string; message?: string };
  const message = e.code && !e.message?.includes(e.code) ? `${e.code}: ${e.message}` : (e.message ?? 'request failed');
  return message.replaceAll('\u0000', '').slice(0, 500);
}
