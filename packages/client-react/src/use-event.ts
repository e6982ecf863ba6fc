import type { ControlType, HandlerArgument, PushlineEventType } from '@pushline/client';
import { useEffect, useRef } from 'react';
import { usePushlineContext } from './pushline-context.js';

/**
 * Calls `handler` for every event of `type` (typed from the catalog, like `client.on`). The latest
 * handler is used without resubscribing, so an inline arrow function is fine.
 */
export function useEvent<T extends PushlineEventType | ControlType | (string & {})>(type: T, handler: (event: HandlerArgument<T>) => void): void {
  const { client } = usePushlineContext('useEvent');
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => client?.on(type, (event) => latest.current(event)), [client, type]);
}
