/**
 * The envelope every event travels in, on every channel and in storage. Attribute names follow
 * CloudEvents 1.0 (https://cloudevents.io) so other tools understand them; extension attributes are
 * lowercase alphanumerics, as the spec requires.
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly specversion: '1.0';
  /** Unique per event; clients drop duplicates by it (delivery is at-least-once). */
  readonly id: string;
  /** URI reference of the producing service, e.g. `/pushline/api`. */
  readonly source: string;
  /** Stable dotted name from the catalog, e.g. `notification.created`. */
  readonly type: TType;
  /** Version of the payload shape of `type` (extension). */
  readonly dataversion: number;
  /** ISO-8601 timestamp of when it happened. */
  readonly time: string;
  /** Id of the entity it is about, e.g. the notification id. */
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  readonly data: TData;
  /** Request id of the call that started the chain (extension). */
  readonly correlationid?: string;
  /** Id of the request or event that directly caused this one (extension). */
  readonly causationid?: string;
  /** App that published the event through the publish API (extension). */
  readonly appid?: string;
  /** Id of the event this one replays (operator replay, extension). */
  readonly replayof?: string;
  /** Tenant the event belongs to (extension); operator queries filter on it. */
  readonly tenantid?: string;
  /** Device whose request caused the event, for echo suppression (extension). */
  readonly deviceid?: string;
}
