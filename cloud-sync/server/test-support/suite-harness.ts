/** One harness per describe block on one database, with Ann signed up; skipped (loudly) when PostgreSQL is unreachable. */
import { after, before } from 'node:test';
import type { CloudOptions } from '../options.js';
import { harnessOrSkip, signUp, type Harness, type SignedIn, type StorageKind } from './harness.js';

export interface SuiteHarness {
  readonly h: Harness;
  readonly ann: SignedIn;
  /** Why the suite skips, when it does. */
  readonly skip: string | undefined;
}

/** Call inside `describe`: its own `before` hooks run after this one. */
export function suiteHarness(storage: StorageKind, overrides: Partial<CloudOptions> = {}): SuiteHarness {
  const state: { h?: Harness; ann?: SignedIn; skip?: string } = {};
  before(async () => {
    const opened = await harnessOrSkip(storage, { authRateLimit: { max: 100_000, windowMs: 60_000 }, ...overrides });
    if ('skip' in opened) {
      state.skip = opened.skip;
      return;
    }
    state.h = opened.h;
    state.ann = await signUp(opened.h.app, 'Ann');
  });
  after(() => state.h?.close());
  return {
    get h() {
      if (state.h === undefined) throw new Error('no harness (skipped, or before did not run)');
      return state.h;
    },
    get ann() {
      if (state.ann === undefined) throw new Error('no harness (skipped, or before did not run)');
      return state.ann;
    },
    get skip() {
      return state.skip;
    },
  };
}
