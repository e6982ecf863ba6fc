import type { EventHandler } from '@pushline/domain';

/**
 * The event handlers of the app, by name and by the types they handle. Features register theirs (one
 * line each); the outbox asks `subscribersOf` which jobs to write, the worker asks `get` whom to run.
 */
export class EventHandlerRegistry {
  private readonly byName = new Map<string, EventHandler>();
  private readonly byType = new Map<string, string[]>();
  private readonly ofAppEvents: string[] = [];

  constructor(handlers: readonly EventHandler[] = []) {
    for (const handler of handlers) this.register(handler);
  }

  register(handler: EventHandler): void {
    if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(handler.name)) throw new Error(`event handler name "${handler.name}" must be lowercase, e.g. audit-log`);
    if (this.byName.has(handler.name)) throw new Error(`event handler ${handler.name} is registered twice`);
    this.byName.set(handler.name, handler);
    for (const type of new Set(handler.handles)) this.byType.set(type, [...(this.byType.get(type) ?? []), handler.name]);
    if (handler.handlesAppEvents) this.ofAppEvents.push(handler.name);
  }

  /** Names of the handlers of `type` (and, for an event an app published, of app events), in registration order. */
  subscribersOf = (type: string, appId?: string): readonly string[] => {
    const ofType = this.byType.get(type) ?? [];
    return appId ? [...new Set([...ofType, ...this.ofAppEvents])] : ofType;
  };

  get(name: string): EventHandler | undefined {
    return this.byName.get(name);
  }

  get names(): readonly string[] {
    return [...this.byName.keys()];
  }
}
