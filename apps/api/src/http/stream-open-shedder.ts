import type { RequestHandler, Response } from 'express';

/**
 * Sheds stream opens while more than `maxPending` are being authenticated and started: the client
 * gets `200 text/event-stream` with a jittered `retry:` and an ended stream, which EventSource
 * answers by reconnecting after that delay with the same Last-Event-ID. (Any other status, 503
 * included, is final for EventSource: that device would stay offline.)
 */
export class StreamOpenShedder {
  private pending = 0;
  /** Opens shed since start. */
  shed = 0;

  constructor(
    private readonly maxPending: number,
    private readonly retryMs: number,
  ) {}

  /** Before authentication: counts the open as pending until `started(res)` or the response ends. */
  readonly admit: RequestHandler = (_req, res, next) => {
    if (this.pending >= this.maxPending) {
      this.shed += 1;
      const retry = Math.round(this.retryMs * (0.5 + Math.random()));
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.end(`retry: ${retry}\n: busy, retry\n\n`);
      return;
    }
    this.pending += 1;
    let counted = true;
    const done = (): void => {
      if (!counted) return;
      counted = false;
      this.pending -= 1;
    };
    res.locals.streamStarted = done;
    res.once('close', done);
    next();
  };

  /** The stream is open (or refused): it no longer counts as pending. */
  started(res: Response): void {
    (res.locals.streamStarted as (() => void) | undefined)?.();
  }
}
