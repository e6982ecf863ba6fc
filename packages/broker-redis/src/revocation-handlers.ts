type Handler = (id: string) => void;

/**
 * The handlers of the revocation channel: `{"sessionId"}` (a logout) or `{"userId"}` (a user
 * disabled or deleted), each run for every message of its kind; a throwing handler is reported and
 * the others still run.
 */
export class RevocationHandlers {
  private readonly sessions = new Set<Handler>();
  private readonly users = new Set<Handler>();

  constructor(
    private readonly channel: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  onSession(handler: Handler): () => void {
    return add(this.sessions, handler);
  }

  onUser(handler: Handler): () => void {
    return add(this.users, handler);
  }

  dispatch(message: string): void {
    let parsed: { sessionId?: unknown; userId?: unknown } = {};
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      // Reported below like any other unreadable message.
    }
    const [id, handlers] = typeof parsed.sessionId === 'string' ? [parsed.sessionId, this.sessions] : [parsed.userId, this.users];
    if (typeof id !== 'string') {
      this.onError(new Error(`unreadable message on ${this.channel}`));
      return;
    }
    for (const handler of handlers) {
      try {
        handler(id);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

/** A wrapper per call, so the same function subscribed twice is two independent subscriptions. */
function add(handlers: Set<Handler>, handler: Handler): () => void {
  const wrapped: Handler = (id) => handler(id);
  handlers.add(wrapped);
  return () => handlers.delete(wrapped);
}
