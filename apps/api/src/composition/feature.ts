import type { EventHandler, NotificationChannelSender } from '@pushline/domain';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler, Router } from 'express';
import type { Config } from '../config.js';
import type { Registry, Resolver } from './typed-container.js';

/** What the server tells the HTTP layer about itself. */
export interface HttpAppHooks {
  /** Whether the instance should receive traffic (false while starting or draining). */
  readonly isReady: () => Promise<boolean>;
  /** Dependencies `/ready` reports by name (true = up); any one down makes it 503 `degraded`. */
  readonly dependencies?: () => Promise<Record<string, boolean>>;
  /** After a logout closed the session's streams here: tell the other instances to close theirs. */
  readonly onLoggedOut?: (sessionId: string) => void;
  /** After an operator disabled or deleted a user and their streams closed here: tell the other instances. */
  readonly onUserRevoked?: (userId: string) => void;
}

/** Handed to every feature's route builder. */
export interface HttpContext {
  readonly config: Config;
  /** Requires a valid, not logged-out token (Bearer header or session cookie); sets the claims. */
  readonly requireAuth: RequestHandler;
  /**
   * A request on `socket` proved who sent it (a token, an app's API key): the connection leaves the
   * unauthenticated-connection cap. requireAuth already tells it; other credentials' middleware must.
   */
  readonly connectionAuthenticated: (socket: Socket) => void;
  /** The operator guard (`ADMIN_TOKEN`; 404 when unset); a request with the token leaves the cap. */
  readonly requireAdmin: RequestHandler;
  /** The per-user write limit (`WRITE_RATE_LIMIT_PER_MINUTE`), shared by every write route; after requireAuth. */
  readonly writeRateLimit: RequestHandler;
  /** For limiters a feature builds itself with `createRateLimiter` (http/rate-limits.ts). */
  readonly onRateLimitStoreError: (err: unknown) => void;
  readonly hooks: HttpAppHooks;
}

/**
 * One product area (auth, notifications, …): its use cases and its routes, registered in one line of
 * `features/index.ts`. The container and the HTTP app are built from that list; nothing else is edited
 * to add an area (docs/adding-an-event.md).
 */
export interface Feature {
  readonly name: string;
  /** Binds the area's use cases (and adapters only it uses) on the typed registry. */
  readonly register?: (registry: Registry, config: Config) => void;
  /** The area's routes, mounted under `/api/v1` in list order. */
  readonly routes?: (services: Resolver, http: HttpContext) => Router;
  /**
   * A route the area serves on the node:http request event, ahead of express (the SSE stream open,
   * http/stream-fast-path.ts): it returns true when it took the request; every other request goes to
   * the express app unchanged. For long-lived requests only, with the express route's behaviour kept.
   */
  readonly serve?: (services: Resolver, config: Config) => ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  /**
   * The area's event handlers, fed from the outbox after commit (docs/notifications.md): one entry
   * each, e.g. `handlers: (s) => [new AuditLogHandler(s.get(PrismaAuditLog))]`.
   */
  readonly handlers?: (services: Resolver, config: Config) => readonly EventHandler[];
  /**
   * The area's outbound notification channel senders (email, web push, …), one line each, e.g.
   * `channels: (s, config) => (config.email ? [s.get(SmtpEmailSender)] : [])`; docs/notifications.md.
   */
  readonly channels?: (services: Resolver, config: Config) => readonly NotificationChannelSender[];
}

/** Identity at run time; gives a feature literal its type. */
export function defineFeature(feature: Feature): Feature {
  return feature;
}
