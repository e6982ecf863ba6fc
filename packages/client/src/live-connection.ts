import { fullJitterDelay } from './backoff.js';
import { BlockedStreamDetector } from './blocked-stream.detector.js';
import type { ControlData, StateReason } from './client-types.js';
import type { StreamSink } from './event-dispatch.js';
import type { Timer } from './platform.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { StreamPosition } from './stream-position.js';
import { pollTransport } from './transports/poll.transport.js';
import { sseTransport } from './transports/sse.transport.js';
import { authHeaders, type Frame, type Transport, type TransportFailure, type TransportFactory } from './transports/transport.js';
import { wsTransport } from './transports/ws.transport.js';

const TRANSPORTS: Record<'sse' | 'ws' | 'poll', TransportFactory> = { sse: sseTransport, ws: wsTransport, poll: pollTransport };

type ListeningTransport = Transport & { listen?(type: string): void };

/**
 * One live connection to the user's stream, kept alive: reconnects with full-jitter backoff from the
 * cursor, drops duplicates, refreshes the token on `stream.reauth` (the new stream opens before the
 * old one closes), follows `stream.closed`, and falls back to polling when the stream is blocked.
 */
export class LiveConnection {
  kind: 'sse' | 'ws' | 'poll';
  private transport: ListeningTransport | undefined;
  /** The stream opened with a refreshed token; it replaces `transport` once open. */
  private replacement: ListeningTransport | undefined;
  private attempt = 0;
  private everOpened = false;
  private refreshedSinceOpen = false;
  private openReason: StateReason | undefined;
  private timer: Timer | undefined;
  private finished = false;
  private token: string | undefined;
  private readonly detector: BlockedStreamDetector | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly position: StreamPosition,
    private readonly sink: StreamSink,
    private readonly listenTypes: () => readonly string[],
    /** Called once, when the connection ends for good (tab sharing tells the other tabs). */
    private readonly onFinished: (reason: StateReason) => void = () => undefined,
  ) {
    this.kind = options.transport;
    if (options.fallback && this.kind !== 'poll') {
      this.detector = new BlockedStreamDetector(() => this.headCursor(), position, options.fallback, () => this.switchToPolling());
    }
  }

  start(): void {
    this.sink.state('connecting');
    void this.connect(false);
  }

  /** A type got its first handler: an open SSE stream starts listening for it. */
  listen(type: string): void {
    this.transport?.listen?.(type);
    this.replacement?.listen?.(type);
  }

  close(reason: StateReason = 'client_closed'): void {
    this.finish(reason, false);
  }

  private async connect(asReplacement: boolean): Promise<void> {
    if (this.finished) return;
    let token: string | undefined;
    try {
      token = await this.authToken();
    } catch {
      this.retry('token_unavailable');
      return;
    }
    if (this.finished) return;
    const params = { ...this.options.connect, cursor: this.position.id, token, listenTypes: this.listenTypes() };
    let transport: ListeningTransport | undefined;
    const mine = (): boolean => transport !== undefined && (transport === this.transport || transport === this.replacement);
    try {
      transport = TRANSPORTS[this.kind](params, {
        opened: () => mine() && this.opened(transport!),
        frame: (frame) => mine() && this.frame(transport!, frame),
        failed: (failure) => mine() && void this.failed(transport!, failure),
      });
    } catch (error) {
      this.finish(`unsupported: ${(error as Error).message}`, true);
      return;
    }
    if (asReplacement) this.replacement = transport;
    else {
      this.transport = transport;
      if (this.kind !== 'poll') this.detector?.attempting();
    }
  }

  private opened(transport: ListeningTransport): void {
    if (transport === this.replacement) {
      this.transport?.close();
      this.transport = transport;
      this.replacement = undefined;
    }
    this.attempt = 0;
    this.everOpened = true;
    this.refreshedSinceOpen = false;
    if (this.kind !== 'poll') this.detector?.opened();
    this.sink.state('open', this.openReason);
  }

  private frame(transport: ListeningTransport, frame: Frame): void {
    this.detector?.sawFrame();
    if (frame.kind === 'event') {
      if (this.position.accept(frame.envelope.id, frame.cursor)) this.sink.event(frame.envelope, frame.cursor);
      return;
    }
    if (frame.type === 'stream.position') {
      // Where the server started this connection: the resume point until the first event moves it on.
      this.position.advanceTo((frame.data as ControlData<'stream.position'>).position);
      this.sink.control(frame.type, frame.data);
      return;
    }
    const reset = frame.type === 'stream.reset' ? (frame.data as ControlData<'stream.reset'>) : undefined;
    // A reset moves the position first, so its handlers already read where the stream continues.
    if (reset) this.position.resetTo(reset.cursor, reset.stream);
    this.sink.control(frame.type, frame.data);
    if (reset) {
      this.options.onReset?.(reset);
    } else if (frame.type === 'stream.reauth') {
      void this.reauth();
    } else {
      transport.close();
      void this.serverClosed(transport, frame.data as ControlData<'stream.closed'>);
    }
  }

  private async reauth(): Promise<void> {
    if (this.replacement || !(await this.refresh())) {
      if (!this.finished && !this.replacement) this.sink.state('open', 'refresh_failed');
      return;
    }
    void this.connect(true);
  }

  private async serverClosed(transport: ListeningTransport, closed: ControlData<'stream.closed'>): Promise<void> {
    if (transport === this.replacement) {
      this.replacement = undefined;
      return;
    }
    this.transport = this.replacement;
    this.replacement = undefined;
    if (this.transport) return; // the refreshed stream takes over
    if (closed.reason === 'session_revoked') this.finish('session_revoked', true);
    else if (closed.reason === 'token_expired') await this.afterAuthFailure('token_expired');
    else if (closed.reconnect) this.retry(closed.reason);
    else this.finish(closed.reason, true);
  }

  private async failed(transport: ListeningTransport, failure: TransportFailure): Promise<void> {
    if (transport === this.replacement) {
      this.replacement = undefined;
      return;
    }
    this.transport = undefined;
    let status = failure.status;
    // The browser's EventSource hides the status of a refused response: ask the API who we are.
    if (status === 0) status = await this.probeSession();
    if (status === 401) await this.afterAuthFailure('unauthenticated');
    else this.retry(failure.reason);
  }

  private async afterAuthFailure(reason: StateReason): Promise<void> {
    if (!this.refreshedSinceOpen && (await this.refresh())) {
      this.refreshedSinceOpen = true;
      this.retry(reason, 0);
    } else this.finish(reason, true);
  }

  private retry(reason: StateReason, delayMs?: number): void {
    if (this.finished) return;
    this.sink.state(this.everOpened ? 'reconnecting' : 'connecting', reason);
    clearTimeout(this.timer);
    const delay = delayMs ?? fullJitterDelay(this.attempt++, this.options.reconnect);
    this.timer = setTimeout(() => void this.connect(false), delay);
  }

  private switchToPolling(): void {
    if (this.finished || this.kind === 'poll') return;
    this.transport?.close();
    this.transport = undefined;
    this.kind = 'poll';
    this.openReason = 'polling_fallback';
    this.retry('stream_blocked', 0);
  }

  /** `stream.reauth` or a 401: a fresh token (or cookie); true when there is one. */
  private async refresh(): Promise<boolean> {
    try {
      if (this.options.refreshToken) {
        const token = await this.options.refreshToken();
        if (typeof token === 'string') this.token = token;
        return true;
      }
      if (typeof this.options.token === 'function') return true;
      const current = await this.authToken();
      const res = await this.request('POST', '/auth/refresh', current);
      if (!res.ok) return false;
      const body = (await res.json()) as { accessToken?: string };
      if (current && body.accessToken) this.token = body.accessToken;
      return true;
    } catch {
      return false;
    }
  }

  private async headCursor(): Promise<number | null> {
    try {
      const res = await this.request('GET', '/events?after=0&limit=1', await this.authToken());
      return res.ok ? ((await res.json()) as { headCursor: number }).headCursor : null;
    } catch {
      return null;
    }
  }

  private async probeSession(): Promise<number> {
    try {
      return (await this.request('GET', '/me', await this.authToken())).status;
    } catch {
      return 0;
    }
  }

  private async authToken(): Promise<string | undefined> {
    return this.token ?? (typeof this.options.token === 'function' ? await this.options.token() : this.options.token);
  }

  private request(method: string, path: string, token: string | undefined): Promise<Response> {
    return this.options.connect.fetch(`${this.options.connect.apiUrl}${path}`, { method, headers: authHeaders(token), credentials: 'include' });
  }

  private finish(reason: StateReason, fromServer: boolean): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.detector?.stop();
    this.transport?.close();
    this.replacement?.close();
    this.transport = this.replacement = undefined;
    this.sink.state('closed', reason);
    if (fromServer) this.onFinished(reason);
  }
}
