import { readFileSync, writeFileSync } from 'node:fs';
import type { Metrics } from './scenario-context.js';
import { spread } from './stats.js';

/** All repetitions of one scenario: per column (a target or a variant), one Metrics per repetition. */
export interface ScenarioResult {
  readonly title: string;
  readonly columns: Map<string, Metrics[]>;
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  return abs >= 100 ? Math.round(n).toLocaleString('en-US') : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
};

const cell = (values: number[]): string => {
  const s = spread(values);
  if (!Number.isFinite(s.median)) return '–';
  return values.length > 1 && s.min !== s.max ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median);
};

/**
 * A load generator using this much of a core or more measures itself as much as the server: that
 * column's rates are lower bounds of what the server can do, and Pushline's ratios to it upper bounds.
 */
export const LOAD_GENERATOR_CEILING_CORES = 0.8;

/**
 * One markdown table: medians with min–max, then Pushline's median as a ratio to each other column.
 * Columns whose load generator ran near its ceiling are named under the table.
 */
export function renderScenario(result: ScenarioResult): string {
  const names = [...result.columns.keys()];
  const metrics = [...new Set(names.flatMap((n) => result.columns.get(n)!.flatMap((m) => Object.keys(m))))];
  const ours = names.includes('pushline') ? 'pushline' : undefined;
  const others = names.filter((n) => n !== ours);
  const head = ['', ...names, ...(ours ? others.map((o) => `pushline ÷ ${o}`) : [])];
  const lines = [`### ${result.title}`, '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const metric of metrics) {
    const values = (n: string): number[] => result.columns.get(n)!.map((m) => m[metric] ?? Number.NaN);
    const row = [metric, ...names.map((n) => cell(values(n)))];
    if (ours) {
      const mine = spread(values(ours)).median;
      for (const o of others) {
        const ratio = mine / spread(values(o)).median;
        row.push(Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');
      }
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  const reps = Math.max(...names.map((n) => result.columns.get(n)!.length));
  lines.push('', `${reps} fresh-process repetition${reps === 1 ? '' : 's'} per column, alternating; median (min–max).`);
  const loadMetrics = metrics.filter((m) => m.startsWith('load generator CPU'));
  const nearCeiling = names
    .map((n) => [n, Math.max(...loadMetrics.map((m) => spread(result.columns.get(n)!.map((r) => r[m] ?? Number.NaN)).median))] as const)
    .filter(([, cores]) => cores >= LOAD_GENERATOR_CEILING_CORES);
  if (nearCeiling.length > 0) {
    lines.push(
      '',
      `**Load generator near its ceiling** (≥ ${LOAD_GENERATOR_CEILING_CORES} cores) for ${nearCeiling.map(([n, cores]) => `${n} (${fmt(cores)})`).join(', ')}: ` +
        "those columns' rates are lower bounds, and Pushline's ratios to them upper bounds.",
    );
  }
  lines.push('');
  return lines.join('\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the generated part of docs/benchmarks.md (between the markers) with this run's tables. */
export function writeResults(path: string, header: string, results: ScenarioResult[]): void {
  const doc = readFileSync(path, 'utf8');
  const body = [START, '', header, '', ...results.map(renderScenario), END].join('\n');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  const next = from === -1 || to === -1 ? `${doc.trimEnd()}\n\n${body}\n` : `${doc.slice(0, from)}${body}${doc.slice(to + END.length)}`;
  writeFileSync(path, next);
}
