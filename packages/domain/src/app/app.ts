/** What an API key may do; a key without the scope a route needs gets a 403 `insufficient_scope`. */
export const APP_SCOPES = ['events:publish', 'notifications:write', 'events:read', 'webhooks:manage'] as const;
export type AppScope = (typeof APP_SCOPES)[number];

export const APP_LIMITS = {
  nameMax: 200,
  /** A slug is the first segment of the app's event type names, so it follows that segment's rule. */
  slugPattern: /^[a-z][a-z0-9]{1,39}$/,
  /** Most users one publish may name (`userIds`). */
  maxRecipients: 1000,
  subjectMax: 200,
  /** Serialized size of an event's `data`, in UTF-8 bytes. */
  dataMaxBytes: 16 * 1024,
} as const;

/** A product that publishes to users of one tenant. */
export interface App {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly slug: string;
  readonly createdAt: Date;
}

/** An API key as stored: the key itself is shown once at creation and kept only as a hash. */
export interface ApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly appId: string;
  /** Public lookup part of the key (`plk_<prefix>_<secret>`). */
  readonly prefix: string;
  readonly keyHash: string;
  readonly scopes: readonly AppScope[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Who is calling with a valid key: the app, its tenant and what the key may do. */
export interface AppPrincipal {
  readonly appId: string;
  readonly tenantId: string;
  readonly slug: string;
  readonly keyId: string;
  readonly scopes: readonly AppScope[];
}

/** Who an app event goes to: one user, a list (≤ 1,000), or every user of the tenant who installed the app. */
export type AppAudience = { readonly userId: string } | { readonly userIds: readonly string[] } | { readonly tenant: true };
