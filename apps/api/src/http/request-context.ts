import type { RequestContext } from '@pushline/domain';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

const DEVICE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** `X-Device-Id` (or `?deviceId=`), when well-formed; anything else is ignored rather than trusted. */
export function deviceIdOf(req: Request): string | undefined {
  return validDeviceId(req.get('x-device-id') ?? (typeof req.query.deviceId === 'string' ? req.query.deviceId : undefined));
}

/** deviceIdOf() on a raw request (the WebSocket upgrade, the stream fast path), given its checked query. */
export function rawDeviceIdOf(req: IncomingMessage, query: Readonly<Record<string, string>>): string | undefined {
  const header = req.headers['x-device-id'];
  return validDeviceId(typeof header === 'string' ? header : query.deviceId);
}

/** The device id if well-formed; shared with the WebSocket upgrade, which has no express request. */
export function validDeviceId(raw: string | undefined): string | undefined {
  return raw && DEVICE_ID.test(raw) ? raw : undefined;
}

/** What the events this request causes should carry: its request id and the calling device. */
export function requestContextOf(req: Request): RequestContext {
  const deviceId = deviceIdOf(req);
  const tenantId = req.auth?.tenantId;
  return { correlationId: String(req.id), causationId: String(req.id), ...(tenantId && { tenantId }), ...(deviceId && { deviceId }) };
}
