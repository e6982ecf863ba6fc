import type { StreamCloseReason, StreamEntry } from '@pushline/domain';
import type { DeviceSession } from './device-session.js';
import { KnownHeads } from './known-heads.js';

/**
 * The tenant lanes open on this instance: one per device of a tenant user, indexed by tenant (a
 * broadcast reaches exactly that tenant's lanes, never a scan of every connection) and by the
 * device's own session (closing one closes the other).
 */
export class TenantRooms {
  private readonly rooms = new Map<string, Set<DeviceSession>>();
  private readonly lanes = new Map<DeviceSession, { readonly tenantId: string; readonly lane: DeviceSession }>();
  /** The head of each tenant's stream with a lane here, where this instance can vouch for it. */
  readonly heads = new KnownHeads();

  add(tenantId: string, personal: DeviceSession, lane: DeviceSession): void {
    const room = this.rooms.get(tenantId);
    if (room) room.add(lane);
    else this.rooms.set(tenantId, new Set([lane]));
    this.heads.follow(tenantId);
    this.lanes.set(personal, { tenantId, lane });
  }

  laneOf(personal: DeviceSession): DeviceSession | undefined {
    return this.lanes.get(personal)?.lane;
  }

  /** The device's own session is gone: its lane goes too (no reason: the connection is already ending). */
  removeDevice(personal: DeviceSession): void {
    const found = this.lanes.get(personal);
    if (!found) return;
    this.lanes.delete(personal);
    const room = this.rooms.get(found.tenantId);
    room?.delete(found.lane);
    if (room?.size === 0) {
      this.rooms.delete(found.tenantId);
      this.heads.drop(found.tenantId);
    }
    found.lane.close();
  }

  /** The lane closed itself (slow reader, unreadable log): the device's own session ends the same way. */
  laneClosed(personal: DeviceSession, reason: StreamCloseReason | undefined): void {
    if (reason) personal.close(reason);
    else this.removeDevice(personal);
  }

  /** Offers a broadcast entry to every lane of its tenant; true when it was one (the caller stops there). */
  dispatch(entry: StreamEntry, onError: (error: unknown) => void): boolean {
    if (entry.tenantStream === undefined) return false;
    if (!entry.ephemeral) this.heads.saw(entry.tenantStream, entry.cursor);
    for (const lane of this.rooms.get(entry.tenantStream) ?? []) {
      try {
        lane.offer(entry);
      } catch (error) {
        onError(error);
      }
    }
    return true;
  }

  resyncAll(): void {
    this.heads.forgetAll();
    for (const { lane } of this.lanes.values()) lane.resync();
  }

  /** Tenants with at least one lane open here, and the lanes. */
  stats(): { readonly tenants: number; readonly lanes: number } {
    return { tenants: this.rooms.size, lanes: this.lanes.size };
  }
}
