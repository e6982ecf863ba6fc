import { ValidationError } from '@pushline/domain';

const PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/;
const MAX_PATTERNS = 50;

/**
 * Which event types a stream wants, from `?types=notification.*,order.shipped`. A pattern is an exact
 * type name or a dotted prefix ending in `.*`. No patterns means every type.
 */
export class EventTypeFilter {
  private constructor(
    private readonly exact: ReadonlySet<string>,
    private readonly prefixes: readonly string[],
  ) {}

  static readonly all = new EventTypeFilter(new Set(), []);

  static parse(raw: string | undefined): EventTypeFilter {
    const patterns = (raw ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (patterns.length === 0) return EventTypeFilter.all;
    if (patterns.length > MAX_PATTERNS) throw new ValidationError('types', `types takes at most ${MAX_PATTERNS} patterns`);
    const bad = patterns.find((p) => !PATTERN.test(p));
    if (bad) throw new ValidationError('types', `"${bad}" is not an event type or a prefix like notification.*`);
    return new EventTypeFilter(
      new Set(patterns.filter((p) => !p.endsWith('.*'))),
      patterns.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -1)),
    );
  }

  matches(type: string): boolean {
    if (this.exact.size === 0 && this.prefixes.length === 0) return true;
    return this.exact.has(type) || this.prefixes.some((prefix) => type.startsWith(prefix));
  }
}
