import { readFileSync } from 'node:fs';

/**
 * `node apps/bench/dist/profile-summary.js <file.cpuprofile>`: where a server's busy time went, by
 * package (node_modules/<pkg>, our packages, node core) and by the heaviest functions (self time).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const area = (url: string, fn: string): string => {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node core';
  const p = /\/(packages|apps)\/([^/]+)\//.exec(url);
  return p ? `pushline ${p[2]}` : url;
};
const areas = new Map<string, number>();
const fns = new Map<string, number>();
let busy = 0;
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const { functionName, url, lineNumber } = n.callFrame;
  if (functionName === '(idle)' || functionName === '(program)') continue;
  busy += us;
  const a = area(url, functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const f = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  fns.set(f, (fns.get(f) ?? 0) + us);
}
const top = (m: Map<string, number>, k: number): string[] =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => `  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
console.log(`busy ${(busy / 1e6).toFixed(2)} s\nby area:\n${top(areas, 15).join('\n')}\nheaviest functions (self):\n${top(fns, 25).join('\n')}`);
