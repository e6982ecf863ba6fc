/**
 * Who and what caused a use case to run. Travels into the events it emits as CloudEvents extensions,
 * so a device can drop its own echoes and logs can follow one request across events.
 */
export interface RequestContext {
  /** Request id of the HTTP call (or job) that started this chain. */
  readonly correlationId?: string;
  /** Id of the event or request that directly caused this one. */
  readonly causationId?: string;
  /** Tenant the request acts in; stamped on every event it emits (`tenantid`). */
  readonly tenantId?: string;
  /** Device that made the request (`X-Device-Id`). */
  readonly deviceId?: string;
}
