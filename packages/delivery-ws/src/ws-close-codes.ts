import type { StreamCloseReason } from '@pushline/domain';

/**
 * The close code a client sees for each reason the server ends a stream. 4000–4999 are free for
 * applications (RFC 6455 §7.4.2); 4001/4003 mirror HTTP 401/403 so a client can tell "log in again"
 * from "stop". `slow_consumer` never gets a close frame: it would queue behind the full buffer, so the
 * connection is cut (the client sees 1006) and it resumes from its cursor.
 */
export const WS_CLOSE_CODES: Record<StreamCloseReason, number> = {
  token_expired: 4001,
  session_revoked: 4003,
  shutdown: 1012,
  slow_consumer: 1013,
  unavailable: 1013,
};

/** Whether a client should reconnect after the server closed its stream for this reason. */
export const WS_RECONNECT: Record<StreamCloseReason, boolean> = {
  token_expired: false,
  session_revoked: false,
  slow_consumer: true,
  shutdown: true,
  unavailable: true,
};

/**
 * The client sent more than `EARLY_LIMITS` (count or bytes) before its stream finished opening: 1008
 * (policy violation). Reconnecting is fine; sending less before the first message is the fix.
 */
export const WS_EARLY_OVERFLOW_CLOSE_CODE = 1008;
