import type { StreamEntry } from '@pushline/domain';
import type { EventTypeFilter } from './event-type-filter.js';

/**
 * Which of its user's entries one device wants: the types it asked for (`?types=`), and with
 * `excludeOwn` not the entries its own requests caused (same `deviceid`). An entry it does not want
 * still moves its cursor on.
 */
export class DeviceFilter {
  constructor(
    private readonly types: EventTypeFilter,
    private readonly excludeOwn: boolean,
    private readonly deviceId: string | undefined,
  ) {}

  /** The same device wanting other types (a WebSocket `subscribe`). */
  withTypes(types: EventTypeFilter): DeviceFilter {
    return new DeviceFilter(types, this.excludeOwn, this.deviceId);
  }

  wants(entry: StreamEntry): boolean {
    const own = this.excludeOwn && this.deviceId !== undefined && entry.event.deviceid === this.deviceId;
    return !own && this.types.matches(entry.event.type);
  }
}
