/**
 * Who an event was written to: the users whose streams hold it (its audience as published). Event
 * handlers that notify an event's audience read it here instead of the envelope, which names no
 * other recipients (a device must not learn who else got an event).
 */
export interface EventAudienceLog {
  /** Recipients of `eventId` with a user id above `after`, ascending, at most `limit`. */
  recipientsOf(eventId: string, after: string | undefined, limit: number): Promise<readonly string[]>;
}
