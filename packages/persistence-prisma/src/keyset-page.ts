import { decodeKeysetCursor, encodeKeysetCursor, type Page } from '@pushline/domain';

/** The `where` of "strictly after the cursor" in (created_at, id) order, or nothing on the first page. */
export function afterCursor(after: string | undefined) {
  if (!after) return {};
  const c = decodeKeysetCursor(after);
  return { OR: [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, id: { gt: c.id } }] };
}

export const OLDEST_FIRST = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/** Cuts the one extra row a query fetched (`take: limit + 1`) into a page and its `nextCursor`. */
export function toPage<R extends { createdAt: Date; id: string }, T>(rows: readonly R[], limit: number, map: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(map), nextCursor: rows.length > limit && last ? encodeKeysetCursor(last) : null };
}
