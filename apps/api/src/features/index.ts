// Every product area of the API, one line each. The container binds each area's use cases and the HTTP
// app mounts its routes (under /api/v1) from this list; `npm run new-use-case` adds the line for a new
// area. Only features may be exported here (features.ts checks it).
export { adminFeature } from './admin.feature.js';
export { appNotificationsFeature } from './app-notifications.feature.js';
export { appsFeature } from './apps.feature.js';
export { authFeature } from './auth.feature.js';
export { channelsFeature } from './channels.feature.js';
export { eventAdminFeature } from './event-admin.feature.js';
export { eventHandlersFeature } from './event-handlers.feature.js';
export { notificationsFeature } from './notifications.feature.js';
export { presenceFeature } from './presence.feature.js';
export { streamingFeature } from './streaming.feature.js';
export { tenantsFeature } from './tenants.feature.js';
export { webhooksFeature } from './webhooks.feature.js';
export { webPushFeature } from './web-push.feature.js';
