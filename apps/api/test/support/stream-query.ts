import type { DeliveryConnectOptions } from '@pushline/testing';

/** The query string both transports take (`?lastEventId=…&types=…`), or '' when there is none. */
export function streamQuery(options: DeliveryConnectOptions): string {
  const query = new URLSearchParams();
  if (options.lastEventId !== undefined) query.set('lastEventId', options.lastEventId);
  if (options.types !== undefined) query.set('types', options.types);
  if (options.excludeOwn) query.set('excludeOwn', '1');
  if (options.deviceId !== undefined) query.set('deviceId', options.deviceId);
  const qs = query.toString();
  return qs ? `?${qs}` : '';
}
