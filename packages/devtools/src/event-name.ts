/** Same rule as `defineEventType`: dotted lowercase, the first segment names the area (aggregate). */
const EVENT_NAME = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/;

/** The names a new event type's files and code take, all derived from its dotted type name. */
export interface EventNames {
  /** `notification.archived` */
  readonly type: string;
  /** `notification`: the folder under packages/domain/src. */
  readonly area: string;
  /** `notification-archived`: file base name, `<fileBase>.event.ts`. */
  readonly fileBase: string;
  /** `notificationArchived`: the exported declaration. */
  readonly constName: string;
  /** `NotificationArchived`: for generated client type names. */
  readonly pascalName: string;
}

export function eventNamesOf(type: string): EventNames {
  if (!EVENT_NAME.test(type)) {
    throw new Error(`"${type}" is not an event type name: use dotted lowercase like order.shipped or notification.unread_count`);
  }
  const words = type.split(/[._]/);
  const pascalName = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return {
    type,
    area: words[0]!,
    fileBase: words.join('-'),
    constName: pascalName.charAt(0).toLowerCase() + pascalName.slice(1),
    pascalName,
  };
}
