export { PushlineProvider, type PushlineProviderProps } from './pushline-provider.js';
export { useNotifications, type UseNotificationsResult } from './use-notifications.js';
export { useEvent } from './use-event.js';
export { usePushlineClient, PushlineContext, type PushlineContextValue } from './pushline-context.js';
