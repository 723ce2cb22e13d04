/** Preact hooks over the stores and the clock. */
import { useEffect, useState } from 'preact/hooks';
import type { Store, StoreState } from './store.js';

export function useStore<T>(store: Store<T>): StoreState<T> {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), [store]);
  return store.state;
}

/** Several stores at once (a list whose length may change between renders). */
export function useStores<T>(stores: readonly Store<T>[]): StoreState<T>[] {
  const [, setTick] = useState(0);
  const key = stores.map((s) => s.name).join('\n');
  useEffect(() => {
    const offs = stores.map((s) => s.subscribe(() => setTick((n) => n + 1)));
    return () => offs.forEach((off) => off());
    // The names identify the stores; the array itself is new on every render.
  }, [key]);
  return stores.map((s) => s.state);
}

/** The time, re-read every `everyMs` (relative times, staleness, countdowns). */
export function useNow(everyMs: number, now: () => number): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, now]);
  return time;
}
