import { ValidationError } from '../shared/errors.js';
import type { EventTypeRegistry } from '../events/event-type-registry.js';
import { WEBHOOK_LIMITS } from './webhook-limits.js';

const PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Whether `type` is selected by `pattern`: an exact name, a dotted prefix ending in `.*`, or `*`. */
export function eventTypeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function anyEventTypeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => eventTypeMatches(pattern, type));
}

/**
 * A subscription's `eventTypes`, checked against the catalog: each entry must be well formed and select
 * at least one declared type, so a typo fails at subscription time instead of silently matching nothing.
 */
export function parseWebhookEventTypes(patterns: readonly string[], catalog: EventTypeRegistry): string[] {
  if (patterns.length === 0) throw new ValidationError('eventTypes', 'eventTypes must name at least one event type');
  if (patterns.length > WEBHOOK_LIMITS.eventTypesMax) {
    throw new ValidationError('eventTypes', `eventTypes takes at most ${WEBHOOK_LIMITS.eventTypesMax} entries`);
  }
  const names = catalog.types.map((t) => t.name);
  for (const pattern of patterns) {
    if (!PATTERN.test(pattern)) throw new ValidationError('eventTypes', `"${pattern}" is not an event type or a pattern like notification.*`);
    if (!names.some((name) => eventTypeMatches(pattern, name))) {
      throw new ValidationError('eventTypes', `"${pattern}" matches no event type in the catalog`);
    }
  }
  return [...new Set(patterns)];
}
