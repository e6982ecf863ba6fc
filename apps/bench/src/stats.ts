/** Percentile of an ascending-sorted sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function summarize(samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number): string => n.toFixed(1);
  return `p50 ${f(percentile(sorted, 50))} ms · p95 ${f(percentile(sorted, 95))} ms · p99 ${f(percentile(sorted, 99))} ms · max ${f(sorted.at(-1) ?? Number.NaN)} ms (n=${sorted.length})`;
}
