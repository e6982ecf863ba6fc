import type { Clock, EventFactory, NotificationChange, UnitOfWork } from '@pushline/domain';
import { lockAndFind, publishChanges } from './notification-changes.js';

export interface ExpiryRun {
  readonly expired: number;
  readonly unsnoozed: number;
}

/**
 * The expiry worker's pass: expires notifications past `expiresAt` (`notification.expired`) and
 * brings back snoozed ones that are due (`notification.unsnoozed`), each with the new counts. Every
 * notification changes in its own unit of work under its owner's counter lock, re-read there, so two
 * instances running at once emit each change once: the second finds nothing left to change.
 */
export class ExpireDueNotifications {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    private readonly batchSize = 200,
  ) {}

  async execute(now: Date = this.clock.now()): Promise<ExpiryRun> {
    let expired = 0;
    let unsnoozed = 0;
    for (;;) {
      const due = await this.unitOfWork.run((tx) => tx.notifications.findDue(now, this.batchSize));
      let changedAny = false;
      for (const candidate of due) {
        const made = await this.unitOfWork.run(async (tx) => {
          const n = await lockAndFind(tx, candidate, candidate.id).catch(() => null);
          if (!n) return [];
          const changes: NotificationChange[] = [];
          const s = n.toSnapshot();
          if (s.expiresAt !== null && s.expiresAt <= now) {
            const change = n.expire(now);
            if (change) changes.push(change);
          } else if (s.snoozedUntil !== null && s.snoozedUntil <= now) {
            const change = n.snooze(null, now);
            if (change) changes.push(change);
          }
          if (changes.length > 0) await tx.notifications.save(n);
          await publishChanges(tx, this.events, n.toSnapshot(), changes, now, {});
          return changes;
        });
        expired += made.filter((c) => c === 'expired').length;
        unsnoozed += made.filter((c) => c === 'unsnoozed').length;
        changedAny ||= made.length > 0;
      }
      // A short batch was everything due; a batch where nothing changed means another instance has it.
      if (due.length < this.batchSize || !changedAny) return { expired, unsnoozed };
    }
  }
}
