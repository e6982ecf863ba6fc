import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Sheds stream opens while more than `maxPending` are being authenticated and started: the client
 * gets `200 text/event-stream` with a jittered `retry:` and an ended stream, which EventSource
 * answers by reconnecting after that delay with the same Last-Event-ID. (Any other status, 503
 * included, is final for EventSource: that device would stay offline.)
 */
export class StreamOpenShedder {
  /** The opens being authenticated and started. One shared close listener, no closure per open. */
  private readonly pending = new Set<ServerResponse>();
  /** Opens shed since start. */
  shed = 0;

  constructor(
    private readonly maxPending: number,
    private readonly retryMs: number,
  ) {}

  /**
   * Before authentication, on a raw response: false when the open was shed (and answered); otherwise
   * it counts as pending until `started(res)` or the response ends.
   */
  tryAdmit(res: ServerResponse, headers?: Readonly<Record<string, string>>): boolean {
    if (this.pending.size >= this.maxPending) {
      this.shed += 1;
      const retry = Math.round(this.retryMs * (0.5 + Math.random()));
      res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.end(`retry: ${retry}\n: busy, retry\n\n`);
      return false;
    }
    this.pending.add(res);
    res.on('close', this.closed);
    return true;
  }

  /** `tryAdmit` as express middleware. */
  readonly admit: RequestHandler = (_req, res, next) => {
    if (this.tryAdmit(res)) next();
  };

  /** The stream is open (or refused): it no longer counts as pending. */
  started(res: ServerResponse): void {
    if (!this.pending.delete(res)) return;
    res.off('close', this.closed);
  }

  /** Shared by every pending response; an emitter calls its listeners with itself as `this`. */
  private readonly closed = closedListener(this.pending);
}

function closedListener(pending: Set<ServerResponse>): (this: ServerResponse) => void {
  return function (this: ServerResponse) {
    pending.delete(this);
  };
}
