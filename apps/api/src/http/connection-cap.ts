import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { endWithJsonError } from './server-hardening.js';

/**
 * Caps the connections one client address may hold open before any request on them authenticated:
 * sockets that never send headers, logins in progress, unauthenticated upgrades. A socket stops
 * counting once a request on it authenticates (`authenticated`), so a user's many open streams are
 * bounded by the device limit instead. Past the cap a new connection gets a 429 and is closed.
 *
 * The address is the TCP peer's: behind a proxy every client shares the proxy's address, so raise the
 * cap there (or set it to 0, off) and let the proxy bound connections per client.
 */
export class UnauthenticatedConnectionCap {
  private readonly perAddress = new Map<string, number>();
  private readonly counted = new WeakMap<Socket, string>();
  constructor(
    private readonly maxPerAddress: number,
    /** Told about every refused connection (metrics). */
    private readonly onRefused: () => void = () => undefined,
  ) {}

  attach(server: Server): void {
    if (this.maxPerAddress === 0) return;
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const open = this.perAddress.get(address) ?? 0;
      if (open >= this.maxPerAddress) {
        this.onRefused();
        refuse(socket);
        return;
      }
      this.perAddress.set(address, open + 1);
      this.counted.set(socket, address);
      socket.on('close', this.released);
    });
  }

  /** A request on `socket` authenticated: it no longer counts against its address. */
  authenticated(socket: Socket): void {
    if (this.release(socket)) socket.off('close', this.released);
  }

  /**
   * One close listener shared by every counted socket (an emitter calls it with the socket as `this`),
   * and taken off when the socket authenticates: a stream's socket keeps nothing of the cap for hours.
   */
  private readonly released = ((cap) =>
    function (this: Socket) {
      cap.release(this);
    })(this);

  /** Connections `address` holds that have not authenticated. */
  pendingOf(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /** False when the socket was not counted (or no longer is). */
  private release(socket: Socket): boolean {
    const address = this.counted.get(socket);
    if (address === undefined) return false;
    this.counted.delete(socket);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
    return true;
  }
}

function refuse(socket: Socket): void {
  socket.pause();
  endWithJsonError(socket, 429, 'rate_limited', 'too many unauthenticated connections from this address', { 'Retry-After': '1' });
}
