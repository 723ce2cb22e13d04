/** What every page gets from the app: data, API, session, formats, clock, navigation. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './api/api-client.js';
import type { Session } from './api/session.js';
import type { AppData } from './data/app-data.js';
import type { ConnectionStatus } from './data/connection-status.js';
import type { Observable } from './data/observable.js';
import type { Formats } from './logic/format.js';

export interface AppContext {
  readonly api: ApiClient;
  readonly data: AppData;
  readonly session: Session;
  readonly formats: Formats;
  readonly now: () => number;
  /** The cloud's address as the Pi must reach it (this page's origin). */
  readonly origin: string;
  readonly connection: Observable<ConnectionStatus>;
  /** Set by the current page; the header adds the alarm state. */
  readonly pageName: Observable<string>;
  navigate(path: string, options?: { readonly replace?: boolean }): void;
  signOut(everywhere: boolean): Promise<void>;
  /** Something changed here: refresh what the pages show now rather than at the next tick. */
  refreshSoon(): void;
}

export const AppContextValue = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const app = useContext(AppContextValue);
  if (app === null) throw new Error('useApp outside the app');
  return app;
}

export function useObservable<T>(o: Observable<T>): T {
  const [, setTick] = useState(0);
  useEffect(() => o.subscribe(() => setTick((n) => n + 1)), [o]);
  return o.value;
}

/** Names the page (for the title) while it is shown. */
export function usePageName(name: string): void {
  const app = useApp();
  useEffect(() => app.pageName.set(name), [app, name]);
}
