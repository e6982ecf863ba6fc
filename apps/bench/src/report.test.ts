import { describe, expect, it } from '@jest/globals';
import { renderScenario, type ScenarioResult } from './report.js';

const result = (loadGen: Record<string, number[]>): ScenarioResult => ({
  title: 'X. A scenario',
  columns: new Map(
    Object.entries(loadGen).map(([name, cores]) => [name, cores.map((c, i) => ({ 'opens/s': 1000 * (i + 1), 'load generator CPU while ramping (cores)': c }))]),
  ),
});

describe('the scenario table', () => {
  it('gives medians with min–max and Pushline as a ratio to every other column', () => {
    const table = renderScenario(result({ 'bare-http': [0.5, 0.5], pushline: [0.3, 0.3] }));
    expect(table).toContain('| opens/s | 1,500 (1,000–2,000) | 1,500 (1,000–2,000) | 1.00× |');
    expect(table).not.toContain('near its ceiling');
  });

  it('names the columns whose load generator ran near its ceiling, by its median', () => {
    const table = renderScenario(result({ 'bare-http': [0.87, 0.9, 0.5], 'better-sse': [0.79, 0.7, 0.79], pushline: [0.36, 0.4, 0.3] }));
    expect(table).toContain('**Load generator near its ceiling** (≥ 0.8 cores) for bare-http (0.87):');
    expect(table).not.toMatch(/ceiling[^\n]*better-sse/);
  });
});
