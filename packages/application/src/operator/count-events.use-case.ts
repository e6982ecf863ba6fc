import { ValidationError, type EventArchive, type EventCountBucket, type EventCountQuery } from '@pushline/domain';

/** Most buckets one count may span, so a typo in `from` cannot scan years hour by hour. */
export const MAX_COUNT_BUCKETS = 24 * 92;

/** Events per type per hour or day over a range (operator API). */
export class CountEvents {
  constructor(private readonly archive: EventArchive) {}

  execute(query: EventCountQuery): Promise<readonly EventCountBucket[]> {
    if (query.to.getTime() <= query.from.getTime()) throw new ValidationError('to', 'to must be after from');
    const bucketMs = query.bucket === 'day' ? 86_400_000 : 3_600_000;
    if ((query.to.getTime() - query.from.getTime()) / bucketMs > MAX_COUNT_BUCKETS) {
      throw new ValidationError('from', `the range may span at most ${MAX_COUNT_BUCKETS} ${query.bucket} buckets`);
    }
    return this.archive.count(query);
  }
}
