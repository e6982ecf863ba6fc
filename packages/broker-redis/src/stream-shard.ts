/**
 * Which of `shards` channels carries a user's entries: FNV-1a (32 bit) over the id's UTF-16 code
 * units. Every instance must compute the same shard, so this never changes for a given count.
 */
export function streamShardOf(userId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** The entries of each shard present, in their original order within a shard. */
export function groupByShard<T extends { readonly userId: string }>(entries: readonly T[], shards: number): Map<number, T[]> {
  const byShard = new Map<number, T[]>();
  for (const entry of entries) {
    const shard = streamShardOf(entry.userId, shards);
    const group = byShard.get(shard);
    if (group) group.push(entry);
    else byShard.set(shard, [entry]);
  }
  return byShard;
}
