/** A component loaded on demand (a dynamic import, so its code and uPlot stay out of the first bundle). */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Lazy<P> = { readonly state: 'loading' } | { readonly state: 'failed' } | { readonly state: 'ready'; readonly C: ComponentType<P> };

export function useLazy<P>(load: () => Promise<ComponentType<P>>): Lazy<P> {
  const [lazy, setLazy] = useState<Lazy<P>>({ state: 'loading' });
  useEffect(() => {
    load().then(
      (C) => setLazy({ state: 'ready', C }),
      () => setLazy({ state: 'failed' }),
    );
    // Loaded once per mount: `load` is a new arrow on every render.
  }, []);
  return lazy;
}
