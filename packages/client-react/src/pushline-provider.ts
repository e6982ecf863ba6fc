import { createInboxStore, createPushlineApi, createPushlineClient, type InboxStore, type PushlineApi, type PushlineClient, type PushlineClientOptions } from '@pushline/client';
import { createElement, useEffect, useMemo, useState, type ReactNode } from 'react';
import { PushlineContext } from './pushline-context.js';

export interface PushlineProviderProps {
  /** A client you created (and close yourself); or `options`, and the provider creates and closes one. */
  readonly client?: PushlineClient;
  readonly options?: PushlineClientOptions;
  /** REST helpers for the inbox store; default: `createPushlineApi` with the client's base URL and token. */
  readonly api?: PushlineApi;
  readonly children?: ReactNode;
}

/**
 * Shares one Pushline client and one inbox store with everything below it. A client the provider
 * created itself is created in an effect and closed on unmount, so React's strict-mode double mount
 * never leaves a second connection open.
 */
export function PushlineProvider({ client: given, options, api: givenApi, children }: PushlineProviderProps): ReactNode {
  const [owned, setOwned] = useState<PushlineClient | null>(null);
  const optionsKey = options ? JSON.stringify({ ...options, token: typeof options.token === 'string' ? options.token : undefined }) : '';
  useEffect(() => {
    if (given || !options) return undefined;
    const created = createPushlineClient(options);
    setOwned(created);
    return () => {
      created.close();
      setOwned(null);
    };
    // Recreated only when the options change in substance, not on every render's new object.
  }, [given, optionsKey]);
  const client = given ?? owned;

  const api = useMemo<PushlineApi | null>(() => {
    if (givenApi) return givenApi;
    if (!options) return null;
    const { token } = options;
    return createPushlineApi({
      baseUrl: options.baseUrl,
      ...(token !== undefined && { token: typeof token === 'string' ? token : async () => token() }),
      ...(options.deviceId && { deviceId: options.deviceId }),
      ...(options.fetch && { fetch: options.fetch }),
    });
  }, [givenApi, optionsKey]);

  const [store, setStore] = useState<InboxStore | null>(null);
  useEffect(() => {
    if (!client || !api) return undefined;
    const created = createInboxStore({ client, api });
    setStore(created);
    return () => {
      created.close();
      setStore(null);
    };
  }, [client, api]);

  const value = useMemo(() => ({ client, api, store }), [client, api, store]);
  return createElement(PushlineContext.Provider, { value }, children);
}
