import { z } from 'zod';
import { AppId, CreateAppBody, IdempotencyKeyHeader, CreateKeyBody, DeclareEventTypeBody, EventListQuery, PublishEventBody, PublishNotificationsBody } from '../app-schemas.js';
import { ApiKeyListQuery } from '../app-admin.routes.js';
import { DeclareNotificationRuleBody, NotificationRuleParams } from '../app-notification-rule.routes.js';
import { LogInBody } from '../auth.routes.js';
import { ChannelDeliveryAdminQuery } from '../channel-delivery.routes.js';
import { AdminEventQuery, EventCountsQuery, ReplayBody } from '../event-admin.routes.js';
import { AuditLogQuery, DeadLetterParams, DeadLetterQuery } from '../event-handler-admin.routes.js';
import { EventsQuery } from '../events.routes.js';
import { BulkBody, CreateBody, ListQuery, NotificationIdParams, PatchBody } from '../notification-schemas.js';
import { PreferencesBody } from '../preferences.routes.js';
import { UnsubscribeQuery } from '../unsubscribe.routes.js';
import { TypingBody } from '../presence.routes.js';
import { PushSubscriptionBody, PushSubscriptionJson, PushUnsubscribeBody } from '../push-subscription.routes.js';
import { RegisterBody } from '../registration.routes.js';
import { CreateTenantBody, CreateUserBody, DeleteTenantQuery, PageQuery, PatchTenantBody, PatchUserBody, ResourceId } from '../tenant-admin.routes.js';
import { BroadcastBody } from '../tenant-broadcast.routes.js';
import { FailingWebhooksQuery } from '../webhook-admin.routes.js';
import { RedeliverFailedBody, WebhookDeliveryListQuery, WebhookDeliveryParams } from '../webhook-delivery.routes.js';
import { WebhookCreateBody, WebhookListQuery, WebhookParams, WebhookPatchBody } from '../webhook.routes.js';

/** Who may call a route: a user (token or cookie), an app (API key), the operator (ADMIN_TOKEN), anyone. */
export type RouteAuth = 'user' | 'app' | 'admin' | 'none';

export interface DocumentedRoute {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, `{param}` style. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly auth: RouteAuth;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly success: { readonly status: number; readonly description: string; readonly schema?: z.ZodType; readonly contentType?: string };
}

const Json = z.record(z.string(), z.unknown());
const List = z.object({ items: z.array(Json), nextCursor: z.string().nullable() });
const Created = z.object({ id: z.string() }).catchall(z.unknown());
const tenantParams = z.object({ tenantId: ResourceId });
const userParams = z.object({ userId: ResourceId });
const appParams = z.object({ appId: AppId });
const idempotency = z.object({ 'Idempotency-Key': IdempotencyKeyHeader.optional() });
const Counts = z.object({ unseen: z.number().int(), unread: z.number().int(), version: z.number().int() }).catchall(z.unknown());
const Bulk = z.object({ changed: z.number().int(), counts: Counts });
const webhookParams = appParams.extend(WebhookParams.shape);
const deliveryParams = appParams.extend(WebhookDeliveryParams.shape);
const ApiKeyList = z.object({
  items: z.array(z.object({ id: z.string(), prefix: z.string(), scopes: z.array(z.string()), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })),
  nextCursor: z.string().nullable(),
});
const ReplayAnswer = z.union([
  List.pick({ items: true }).describe('target {stream: true}: the new stream entries, `{eventId, replayId, recipients}`, with `tenantId` for a broadcast (its copy is one entry of that tenant\'s stream)'),
  z
    .object({
      webhookId: z.string(),
      queued: z.array(z.object({ eventId: z.string(), deliveryId: z.string() })),
      skipped: z.array(z.object({ eventId: z.string(), reason: z.enum(['other_tenant', 'event_type_not_subscribed', 'no_reachable_user']) })),
    })
    .describe('target {webhookId}: new deliveries (new webhook-id each) and the events the subscription may not receive'),
]);
const WEBHOOKS = '(API key with webhooks:manage, or ADMIN_TOKEN)';

/**
 * Every REST route with the zod schemas that validate it. The OpenAPI document is generated from this
 * list; `openapi.test.ts` fails when a route of the app is missing here or docs/openapi.json is stale.
 */
export const documentedRoutes: readonly DocumentedRoute[] = [
  { method: 'post', path: '/api/v1/auth/login', tag: 'auth', summary: 'Log in with email and password', auth: 'none', body: LogInBody, success: { status: 200, description: 'An access token, also set as the session cookie', schema: Json } },
  { method: 'post', path: '/api/v1/auth/register', tag: 'auth', summary: 'Self-registration (only with SELF_REGISTRATION_TENANT_ID)', auth: 'none', body: RegisterBody, success: { status: 201, description: 'The user', schema: Created } },
  { method: 'post', path: '/api/v1/auth/refresh', tag: 'auth', summary: 'A fresh token of the same session', auth: 'user', success: { status: 200, description: 'A new access token', schema: Json } },
  { method: 'post', path: '/api/v1/auth/logout', tag: 'auth', summary: 'Revoke the session and close its streams', auth: 'user', success: { status: 204, description: 'Logged out' } },
  { method: 'get', path: '/api/v1/me', tag: 'auth', summary: 'The current user', auth: 'user', success: { status: 200, description: 'The user', schema: Json } },
  { method: 'get', path: '/api/v1/stream', tag: 'stream', summary: 'Server-Sent Events of the caller (see the AsyncAPI document)', auth: 'user', success: { status: 200, description: 'An event stream', contentType: 'text/event-stream' } },
  { method: 'get', path: '/api/v1/events', tag: 'stream', summary: "Pages of the caller's stream (polling fallback)", auth: 'user', query: EventsQuery.extend({ after: z.string().optional() }), success: { status: 200, description: 'Stream entries', schema: Json } },
  { method: 'post', path: '/api/v1/notifications', tag: 'notifications', summary: 'Create a notification for the caller', auth: 'user', body: CreateBody, success: { status: 201, description: 'The notification', schema: Created } },
  { method: 'get', path: '/api/v1/notifications', tag: 'notifications', summary: "The caller's notifications, newest first", auth: 'user', query: ListQuery, success: { status: 200, description: 'A page', schema: List } },
  { method: 'get', path: '/api/v1/notifications/counts', tag: 'notifications', summary: 'The badge: unseen and unread counts with their version', auth: 'user', success: { status: 200, description: 'The counts', schema: Counts } },
  { method: 'post', path: '/api/v1/notifications/seen-all', tag: 'notifications', summary: 'Mark every (or every matching) notification seen, in one transaction', auth: 'user', body: BulkBody, success: { status: 200, description: 'How many changed, and the new counts', schema: Bulk } },
  { method: 'post', path: '/api/v1/notifications/read-all', tag: 'notifications', summary: 'Mark every (or every matching) notification read, in one transaction', auth: 'user', body: BulkBody, success: { status: 200, description: 'How many changed, and the new counts', schema: Bulk } },
  { method: 'post', path: '/api/v1/notifications/archive-all', tag: 'notifications', summary: 'Archive every (or every matching) notification, in one transaction', auth: 'user', body: BulkBody, success: { status: 200, description: 'How many changed, and the new counts', schema: Bulk } },
  { method: 'get', path: '/api/v1/notifications/{id}', tag: 'notifications', summary: 'One notification of the caller', auth: 'user', params: NotificationIdParams, success: { status: 200, description: 'The notification', schema: Json } },
  { method: 'patch', path: '/api/v1/notifications/{id}', tag: 'notifications', summary: 'Change its state: seen, read, clicked, archived, snoozed (snoozedUntil)', auth: 'user', params: NotificationIdParams, body: PatchBody, success: { status: 200, description: 'The notification with the new counts', schema: Json } },
  { method: 'get', path: '/api/v1/notifications/{id}/deliveries', tag: 'notifications', summary: 'Its send records: one per outbound channel (email, web push), with every attempt', auth: 'user', params: z.object({ id: ResourceId }), success: { status: 200, description: 'The records', schema: List.pick({ items: true }) } },
  { method: 'get', path: '/api/v1/unsubscribe', tag: 'notifications', summary: "An email's unsubscribe link: a page that confirms with a POST", auth: 'none', query: UnsubscribeQuery, success: { status: 200, description: 'A confirmation page', contentType: 'text/html' } },
  { method: 'post', path: '/api/v1/unsubscribe', tag: 'notifications', summary: "RFC 8058 one-click unsubscribe: mutes the email of the token's category", auth: 'none', query: UnsubscribeQuery, success: { status: 200, description: 'What was muted', schema: z.object({ category: z.string(), channel: z.string(), muted: z.boolean() }) } },
  { method: 'delete', path: '/api/v1/notifications/{id}', tag: 'notifications', summary: 'Delete a notification (soft delete)', auth: 'user', params: NotificationIdParams, success: { status: 200, description: 'Deleted, with the new counts', schema: z.object({ id: z.string(), deleted: z.literal(true), counts: Counts }) } },
  { method: 'get', path: '/api/v1/preferences', tag: 'notifications', summary: "The caller's preferences per category and channel", auth: 'user', success: { status: 200, description: 'The preferences', schema: Json } },
  { method: 'put', path: '/api/v1/preferences', tag: 'notifications', summary: 'Change channels per category (critical categories cannot be muted)', auth: 'user', body: PreferencesBody, success: { status: 200, description: 'The preferences', schema: Json } },
  { method: 'post', path: '/api/v1/presence/typing', tag: 'presence', summary: "Tell the caller's other devices about typing", auth: 'user', body: TypingBody, success: { status: 202, description: 'Pushed live' } },
  { method: 'get', path: '/api/v1/push/vapid-public-key', tag: 'web push', summary: 'The VAPID public key browsers subscribe with (404 while web push is off)', auth: 'none', success: { status: 200, description: 'applicationServerKey for pushManager.subscribe', schema: z.object({ publicKey: z.string() }) } },
  { method: 'post', path: '/api/v1/push-subscriptions', tag: 'web push', summary: "Store a browser's PushSubscription for the caller (200 when the endpoint is renewed)", auth: 'user', body: PushSubscriptionBody, success: { status: 201, description: 'The subscription', schema: PushSubscriptionJson } },
  { method: 'delete', path: '/api/v1/push-subscriptions', tag: 'web push', summary: "Remove the caller's subscription at an endpoint", auth: 'user', body: PushUnsubscribeBody, success: { status: 204, description: 'Removed' } },
  { method: 'put', path: '/api/v1/me/apps/{appId}', tag: 'apps', summary: 'Install an app of my tenant', auth: 'user', params: appParams, success: { status: 204, description: 'Installed' } },
  { method: 'delete', path: '/api/v1/me/apps/{appId}', tag: 'apps', summary: 'Uninstall an app', auth: 'user', params: appParams, success: { status: 204, description: 'Uninstalled' } },
  { method: 'post', path: '/api/v1/apps/{appId}/events', tag: 'publish', summary: 'Publish an event of a declared type (Idempotency-Key supported)', auth: 'app', params: appParams, headers: idempotency, body: PublishEventBody, success: { status: 201, description: 'Committed for every recipient', schema: z.object({ id: z.string(), recipients: z.number().int() }) } },
  { method: 'post', path: '/api/v1/apps/{appId}/notifications', tag: 'publish', summary: 'Create notifications for users who installed the app (Idempotency-Key supported)', auth: 'app', params: appParams, headers: idempotency, body: PublishNotificationsBody, success: { status: 201, description: 'The notifications', schema: z.object({ ids: z.array(z.string()), items: z.array(Json) }) } },
  { method: 'get', path: '/api/v1/apps/{appId}/events', tag: 'publish', summary: "The app's events, newest first", auth: 'app', params: appParams, query: EventListQuery, success: { status: 200, description: 'A page of envelopes', schema: List } },
  { method: 'post', path: '/api/v1/apps/{appId}/event-types', tag: 'publish', summary: 'Declare an event type with a JSON Schema for data', auth: 'app', params: appParams, body: DeclareEventTypeBody, success: { status: 201, description: 'The declared type', schema: Created } },
  { method: 'post', path: '/api/v1/apps/{appId}/notification-rules', tag: 'publish', summary: 'Declare (or replace) the notification rule of one of its event types (notifications:write)', auth: 'app', params: appParams, body: DeclareNotificationRuleBody, success: { status: 201, description: 'The rule (200 when it replaced one)', schema: Json } },
  { method: 'get', path: '/api/v1/apps/{appId}/notification-rules', tag: 'publish', summary: "The app's notification rules (notifications:write)", auth: 'app', params: appParams, success: { status: 200, description: 'The rules', schema: z.object({ items: z.array(Json) }) } },
  { method: 'delete', path: '/api/v1/apps/{appId}/notification-rules/{eventType}', tag: 'publish', summary: 'Remove the notification rule of an event type (notifications:write)', auth: 'app', params: NotificationRuleParams, success: { status: 204, description: 'Removed' } },
  { method: 'get', path: '/api/v1/apps/{appId}/asyncapi.json', tag: 'publish', summary: "The stream's AsyncAPI document with this app's declared event types", auth: 'app', params: appParams, success: { status: 200, description: 'AsyncAPI 3.0', schema: Json } },
  { method: 'post', path: '/api/v1/apps/{appId}/webhooks', tag: 'webhooks', summary: `Subscribe a URL to event types; the whsec_ secret is shown only here ${WEBHOOKS}`, auth: 'app', params: appParams, body: WebhookCreateBody, success: { status: 201, description: 'The subscription with its secret', schema: Created } },
  { method: 'get', path: '/api/v1/apps/{appId}/webhooks', tag: 'webhooks', summary: `The app's subscriptions, oldest first, without secrets ${WEBHOOKS}`, auth: 'app', params: appParams, query: WebhookListQuery, success: { status: 200, description: 'A page', schema: List } },
  { method: 'get', path: '/api/v1/apps/{appId}/webhooks/{id}', tag: 'webhooks', summary: `One subscription ${WEBHOOKS}`, auth: 'app', params: webhookParams, success: { status: 200, description: 'The subscription', schema: Json } },
  { method: 'patch', path: '/api/v1/apps/{appId}/webhooks/{id}', tag: 'webhooks', summary: `Change a subscription; enabled: true re-enables a disabled one ${WEBHOOKS}`, auth: 'app', params: webhookParams, body: WebhookPatchBody, success: { status: 200, description: 'The subscription', schema: Json } },
  { method: 'delete', path: '/api/v1/apps/{appId}/webhooks/{id}', tag: 'webhooks', summary: `Delete a subscription with its deliveries ${WEBHOOKS}`, auth: 'app', params: webhookParams, success: { status: 204, description: 'Deleted' } },
  { method: 'post', path: '/api/v1/apps/{appId}/webhooks/{id}/rotate-secret', tag: 'webhooks', summary: `A new secret; the old one keeps signing during WEBHOOK_SECRET_OVERLAP ${WEBHOOKS}`, auth: 'app', params: webhookParams, success: { status: 200, description: 'The new secret', schema: z.object({ secret: z.string(), previousSecretExpiresAt: z.string().nullable() }) } },
  { method: 'get', path: '/api/v1/apps/{appId}/webhooks/{id}/status', tag: 'webhooks', summary: `Enabled or disabled, and why (webhook.disabled / webhook.enabled) ${WEBHOOKS}`, auth: 'app', params: webhookParams, success: { status: 200, description: 'The status', schema: Json } },
  { method: 'get', path: '/api/v1/apps/{appId}/webhooks/{id}/deliveries', tag: 'webhooks', summary: `The delivery log, newest first, with every attempt ${WEBHOOKS}`, auth: 'app', params: webhookParams, query: WebhookDeliveryListQuery, success: { status: 200, description: 'A page', schema: List } },
  { method: 'post', path: '/api/v1/apps/{appId}/webhooks/{id}/deliveries/{deliveryId}/redeliver', tag: 'webhooks', summary: `Send one delivery again, same webhook-id ${WEBHOOKS}`, auth: 'app', params: deliveryParams, success: { status: 202, description: 'Queued', schema: z.object({ queued: z.number().int() }) } },
  { method: 'post', path: '/api/v1/apps/{appId}/webhooks/{id}/redeliver-failed', tag: 'webhooks', summary: `Send every failed delivery since a time again ${WEBHOOKS}`, auth: 'app', params: webhookParams, body: RedeliverFailedBody, success: { status: 202, description: 'How many were queued', schema: Json } },
  { method: 'get', path: '/api/v1/admin/stats', tag: 'operator', summary: "This instance's stream stats", auth: 'admin', success: { status: 200, description: 'Stats', schema: Json } },
  { method: 'post', path: '/api/v1/admin/tenants', tag: 'operator', summary: 'Create a tenant', auth: 'admin', body: CreateTenantBody, success: { status: 201, description: 'The tenant', schema: Created } },
  { method: 'get', path: '/api/v1/admin/tenants', tag: 'operator', summary: 'List tenants', auth: 'admin', query: PageQuery, success: { status: 200, description: 'A page', schema: List } },
  { method: 'patch', path: '/api/v1/admin/tenants/{tenantId}', tag: 'operator', summary: "Disable or enable a tenant (closes its users' streams; refuses its users and app keys with 403 tenant_disabled)", auth: 'admin', params: tenantParams, body: PatchTenantBody, success: { status: 200, description: 'The tenant', schema: Json } },
  { method: 'delete', path: '/api/v1/admin/tenants/{tenantId}', tag: 'operator', summary: 'Delete a tenant and all its data in one transaction (the demo tenant only with ?confirm=<its id>)', auth: 'admin', params: tenantParams, query: DeleteTenantQuery, success: { status: 204, description: 'Deleted' } },
  { method: 'post', path: '/api/v1/admin/tenants/{tenantId}/users', tag: 'operator', summary: 'Create a user in a tenant', auth: 'admin', params: tenantParams, body: CreateUserBody, success: { status: 201, description: 'The user', schema: Created } },
  { method: 'post', path: '/api/v1/admin/tenants/{tenantId}/events', tag: 'operator', summary: "Broadcast an event to every user of the tenant (one entry in the tenant's shared stream)", auth: 'admin', params: tenantParams, body: BroadcastBody, success: { status: 201, description: 'The broadcast', schema: z.object({ id: z.string(), tenantId: z.string(), type: z.string() }) } },
  { method: 'get', path: '/api/v1/admin/tenants/{tenantId}/users', tag: 'operator', summary: "List a tenant's users", auth: 'admin', params: tenantParams, query: PageQuery, success: { status: 200, description: 'A page', schema: List } },
  { method: 'patch', path: '/api/v1/admin/users/{userId}', tag: 'operator', summary: 'Disable or enable a user (closes their streams)', auth: 'admin', params: userParams, body: PatchUserBody, success: { status: 200, description: 'The user', schema: Json } },
  { method: 'delete', path: '/api/v1/admin/users/{userId}', tag: 'operator', summary: 'Delete a user and their data', auth: 'admin', params: userParams, success: { status: 204, description: 'Deleted' } },
  { method: 'post', path: '/api/v1/admin/tenants/{tenantId}/apps', tag: 'operator', summary: 'Register an app in a tenant', auth: 'admin', params: tenantParams, body: CreateAppBody, success: { status: 201, description: 'The app', schema: Created } },
  { method: 'get', path: '/api/v1/admin/tenants/{tenantId}/apps', tag: 'operator', summary: "List a tenant's apps", auth: 'admin', params: tenantParams, query: PageQuery, success: { status: 200, description: 'A page', schema: List } },
  { method: 'post', path: '/api/v1/admin/apps/{appId}/keys', tag: 'operator', summary: 'Create an API key (the key is shown only here)', auth: 'admin', params: appParams, body: CreateKeyBody, success: { status: 201, description: 'The key', schema: z.object({ id: z.string(), key: z.string(), prefix: z.string(), scopes: z.array(z.string()) }) } },
  { method: 'get', path: '/api/v1/admin/apps/{appId}/keys', tag: 'operator', summary: "An app's API keys, revoked ones included; never the key or its hash", auth: 'admin', params: appParams, query: ApiKeyListQuery, success: { status: 200, description: 'A page', schema: ApiKeyList } },
  { method: 'delete', path: '/api/v1/admin/apps/{appId}/keys/{keyId}', tag: 'operator', summary: 'Revoke an API key', auth: 'admin', params: z.object({ appId: AppId, keyId: ResourceId }), success: { status: 204, description: 'Revoked' } },
  { method: 'get', path: '/api/v1/admin/channel-deliveries', tag: 'operator', summary: 'Send records of the outbound channels, newest first', auth: 'admin', query: ChannelDeliveryAdminQuery, success: { status: 200, description: 'The records', schema: List.pick({ items: true }) } },
  { method: 'get', path: '/api/v1/admin/events', tag: 'operator', summary: 'Query events across tenants; with userId, the events in that user\'s stream and the broadcasts of the user\'s tenant', auth: 'admin', query: AdminEventQuery, success: { status: 200, description: 'A page of envelopes', schema: List } },
  { method: 'get', path: '/api/v1/admin/events/counts', tag: 'operator', summary: 'Events per type per hour or day', auth: 'admin', query: EventCountsQuery, success: { status: 200, description: 'Buckets', schema: z.object({ buckets: z.array(z.object({ start: z.string(), type: z.string(), count: z.number().int() })) }) } },
  { method: 'post', path: '/api/v1/admin/events/replay', tag: 'operator', summary: "Replay events to their users' (or, for a broadcast, their tenant's) streams, or to one webhook subscription", auth: 'admin', body: ReplayBody, success: { status: 201, description: 'The replayed entries, or the queued and skipped webhook deliveries', schema: ReplayAnswer } },
  { method: 'get', path: '/api/v1/admin/webhooks/failing', tag: 'operator', summary: 'Subscriptions failing now or disabled by failures, of every app', auth: 'admin', query: FailingWebhooksQuery, success: { status: 200, description: 'Most consecutive failures first', schema: List.pick({ items: true }) } },
  { method: 'get', path: '/api/v1/admin/dead-letters', tag: 'operator', summary: 'Event handler jobs that gave up', auth: 'admin', query: DeadLetterQuery, success: { status: 200, description: 'Dead letters', schema: List.pick({ items: true }) } },
  { method: 'post', path: '/api/v1/admin/dead-letters/{id}/replay', tag: 'operator', summary: 'Run a dead letter again', auth: 'admin', params: DeadLetterParams, success: { status: 202, description: 'Pending again', schema: z.object({ id: z.string(), status: z.literal('pending') }) } },
  { method: 'delete', path: '/api/v1/admin/dead-letters/{id}', tag: 'operator', summary: 'Purge a dead letter (it is not run again)', auth: 'admin', params: DeadLetterParams, success: { status: 204, description: 'Purged' } },
  { method: 'get', path: '/api/v1/admin/audit-log', tag: 'operator', summary: 'The audit log, newest first', auth: 'admin', query: AuditLogQuery, success: { status: 200, description: 'Entries', schema: List.pick({ items: true }) } },
];
