import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { countEngineIoMessage, SseFrameCounter } from './frame-counter.js';

/** How the load generator reaches one target: SSE over raw HTTP/1.1 or socket.io over raw WebSocket. */
export interface TargetWire {
  readonly kind: 'sse' | 'engine.io';
  readonly host: string;
  readonly port: number;
  /** Per user: the request head (SSE; `\r\n\r\n` added here) or the WebSocket path (engine.io). */
  readonly requests: readonly string[];
  /** SSE: an event type whose frames are not deliveries of a publish (see SseFrameCounter). */
  readonly uncountedEvent?: string;
}

export interface Device {
  readonly user: number;
  /** Which server instance (wire) the device connects to. */
  readonly instance: number;
  readonly probe: boolean;
  readonly counter: SseFrameCounter;
  readonly onStamp: ((sentAt: number) => void) | undefined;
  engineIoFrames: number;
  open: boolean;
  paused: boolean;
  /** Storm bookkeeping: reopened once since the drop; refused with a final answer. */
  reopened: boolean;
  failed: boolean;
  /** The `retry:` the server's last answer began with (a shed open's), which EventSource waits before reconnecting. */
  retryMs: number | undefined;
  socket: Socket | undefined;
  ws: WebSocket | undefined;
}

export interface OpenResult {
  readonly ok: boolean;
  readonly status: number;
  readonly ms: number;
}

export const now = (): number => performance.timeOrigin + performance.now();

/** The devices of one run, opened over several loopback source addresses. */
export class ConnectionPool {
  readonly devices: Device[] = [];
  readonly latencies: number[] = [];
  /** Probe latencies split by where the device is: instance 0 (where events are published) or another. */
  readonly localLatencies: number[] = [];
  readonly remoteLatencies: number[] = [];
  closedByServer = 0;
  private nextSource = 0;

  constructor(
    private readonly wires: readonly TargetWire[],
    private readonly sources: readonly string[],
  ) {}

  get frames(): number {
    let n = 0;
    for (const d of this.devices) n += d.counter.frames + d.engineIoFrames;
    return n;
  }

  add(user: number, probe: boolean, instance = 0): Device {
    const stamp = (t: number): void => {
      const ms = now() - t;
      this.latencies.push(ms);
      (instance === 0 ? this.localLatencies : this.remoteLatencies).push(ms);
    };
    const device: Device = {
      user,
      instance,
      probe,
      counter: new SseFrameCounter(probe ? stamp : undefined, this.wires[instance]?.uncountedEvent),
      onStamp: probe ? stamp : undefined,
      engineIoFrames: 0,
      open: false,
      paused: false,
      reopened: false,
      failed: false,
      retryMs: undefined,
      socket: undefined,
      ws: undefined,
    };
    this.devices.push(device);
    return device;
  }

  /** Opens (or re-opens, resuming from the last id seen when `resume`) one device's stream. */
  open(device: Device, resume = false, timeoutMs = 30_000): Promise<OpenResult> {
    const started = now();
    const localAddress = this.sources[this.nextSource++ % this.sources.length]!;
    const wire = this.wires[device.instance]!;
    return new Promise((resolve) => {
      let settled = false;
      const done = (ok: boolean, status: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        device.open = ok;
        resolve({ ok, status, ms: now() - started });
      };
      const timer = setTimeout(() => done(false, 0), timeoutMs);
      if (wire.kind === 'engine.io') {
        const ws = new WebSocket(`ws://${wire.host}:${wire.port}${wire.requests[device.user]}`, { localAddress, perMessageDeflate: false });
        device.ws = ws;
        ws.on('message', (data: Buffer) => {
          const message = data.toString('latin1');
          if (message.startsWith('0')) ws.send('40');
          else if (message.startsWith('40')) done(true, 101);
          else if (message === '2') ws.send('3');
          else device.engineIoFrames += countEngineIoMessage(message, device.onStamp);
        });
        ws.on('error', () => done(false, 0));
        ws.on('close', () => {
          if (device.open) this.closedByServer += 1;
          device.open = false;
          done(false, 0);
        });
        return;
      }
      const socket = connect({ host: wire.host, port: wire.port, localAddress });
      device.socket = socket;
      let head = true;
      let headText = '';
      socket.setNoDelay(true);
      socket.on('connect', () => {
        const last = resume && device.counter.lastId > 0 ? `Last-Event-ID: ${device.counter.lastId}\r\n` : '';
        socket.write(`${wire.requests[device.user]}${last}\r\n`);
      });
      socket.on('data', (chunk: Buffer) => {
        if (!head) {
          device.counter.feed(chunk);
          return;
        }
        headText += chunk.toString('latin1');
        const end = headText.indexOf('\r\n\r\n');
        if (end === -1) return;
        head = false;
        const status = Number(headText.slice(9, 12));
        if (status !== 200) {
          done(false, status);
          socket.destroy();
          return;
        }
        done(true, status);
        device.counter.startConnection();
        // Only the first bytes are looked at: a shed open's whole answer is `retry: N` and a comment.
        const retry = /^retry: *(\d+)/m.exec(headText.slice(end + 4, end + 64));
        if (retry) device.retryMs = Number(retry[1]);
        const rest = Buffer.from(headText.slice(end + 4), 'latin1');
        if (rest.length > 0) device.counter.feed(rest);
      });
      socket.on('error', () => done(false, 0));
      socket.on('close', () => {
        if (device.open) this.closedByServer += 1;
        device.open = false;
        done(false, 0);
      });
    });
  }

  /** Drops one device's connection from the client side (no close counted against the server). */
  drop(device: Device): void {
    device.open = false;
    device.socket?.removeAllListeners('close');
    device.socket?.destroy();
    device.ws?.removeAllListeners('close');
    device.ws?.terminate();
  }

  /** Stops reading: the kernel buffers fill and the server's writes back up (a slow consumer). */
  pause(device: Device): void {
    device.paused = true;
    device.socket?.pause();
    (device.ws as unknown as { _socket?: Socket } | undefined)?._socket?.pause();
  }

  closeAll(): void {
    for (const d of this.devices) this.drop(d);
  }
}
