import type { InboxStore, PushlineApi, PushlineClient } from '@pushline/client';
import { createContext, useContext } from 'react';

/** What `PushlineProvider` shares: the client, its REST helpers and the inbox store (once created). */
export interface PushlineContextValue {
  readonly client: PushlineClient | null;
  readonly api: PushlineApi | null;
  readonly store: InboxStore | null;
}

export const PushlineContext = createContext<PushlineContextValue | null>(null);

export function usePushlineContext(hook: string): PushlineContextValue {
  const value = useContext(PushlineContext);
  if (!value) throw new Error(`${hook} must be used inside <PushlineProvider>`);
  return value;
}

/** The client of the nearest `PushlineProvider` (null until it is created). */
export function usePushlineClient(): PushlineClient | null {
  return usePushlineContext('usePushlineClient').client;
}
