import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/**
 * The SSRF guard (the webhooks' `WebhookDestinationPolicy` fits it): every address a host resolves to,
 * refused ones rejected. Called inside the socket's lookup, so the address checked is the one connected to.
 */
export interface PushAddressGuard {
  addressesFor(hostname: string): Promise<readonly { readonly address: string; readonly family: 4 | 6 }[]>;
}

/** One request to a push service, as web-push's `generateRequestDetails` builds it. */
export interface PushRequest {
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: Buffer | null;
}

export interface PushResponse {
  /** Null when no answer came (refused destination, timeout, connection error); `error` says why. */
  readonly statusCode: number | null;
  readonly error: string | null;
  /** The first bytes of the answer, for the log. */
  readonly body: string | null;
  /** The SSRF guard refused the destination (it resolves inward); retrying will not help. */
  readonly refused?: boolean;
}

/** Sends push requests; never throws for the push service's faults. */
export interface PushTransport {
  send(request: PushRequest): Promise<PushResponse>;
  close(): void;
}

const RESPONSE_BYTES_KEPT = 512;

export interface GuardedPushTransportOptions {
  /** Longest one request may take, answer included. */
  readonly timeoutMs: number;
}

/**
 * POSTs to push services over kept-alive connections, checking each destination with the SSRF guard
 * (an endpoint is a URL a browser handed us), never following redirects, reading at most 512 bytes of
 * an answer. http is possible only because endpoints were accepted as http (`WEB_PUSH_ALLOW_HTTP`).
 */
export class GuardedPushTransport implements PushTransport {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };
  private readonly lookup: LookupFunction;

  constructor(
    private readonly guard: PushAddressGuard,
    private readonly options: GuardedPushTransportOptions,
  ) {
    const agentOptions = { keepAlive: true, maxSockets: 16, timeout: options.timeoutMs };
    this.agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
    this.lookup = (hostname, lookupOptions, callback) => {
      guard.addressesFor(hostname).then(
        (addresses) => {
          if (lookupOptions.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };
  }

  async send(request: PushRequest): Promise<PushResponse> {
    const url = new URL(request.endpoint);
    try {
      // IP literals never reach the socket's lookup: check them here.
      if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) await this.guard.addressesFor(url.hostname);
      return await this.post(url, request);
    } catch (error) {
      return { statusCode: null, error: messageOf(error), body: null, ...(isRefusal(error) && { refused: true }) };
    }
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private post(url: URL, request: PushRequest): Promise<PushResponse> {
    const { timeoutMs } = this.options;
    const transport = url.protocol === 'https:' ? https : http;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method: 'POST', headers, agent: this.agents[url.protocol as 'http:' | 'https:'], lookup: this.lookup });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          const statusCode = response.statusCode ?? null;
          const redirect = statusCode !== null && statusCode >= 300 && statusCode < 400;
          resolve({ statusCode, error: redirect ? 'redirect not followed' : null, body: Buffer.concat(chunks).toString('utf8') });
        };
        response.on('data', (chunk: Buffer) => {
          if (kept >= RESPONSE_BYTES_KEPT) return;
          const part = chunk.subarray(0, RESPONSE_BYTES_KEPT - kept);
          chunks.push(part);
          kept += part.length;
          if (kept >= RESPONSE_BYTES_KEPT) {
            finish();
            response.destroy();
          }
        });
        response.on('end', finish);
        response.on('error', finish);
      });
      req.end(request.body ?? undefined);
    });
  }
}

/** The guard's refusal of an address (not a name that failed to resolve, which may resolve later). */
function isRefusal(error: unknown): boolean {
  const e = error as { code?: string; unresolved?: boolean };
  return typeof e.code === 'string' && e.code.endsWith('DESTINATION_REFUSED') && e.unresolved !== true;
}

function messageOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.code && !e.message?.includes(e.code) ? `${e.code}: ${e.message}` : (e.message ?? 'request failed');
  return message.slice(0, 300);
}
