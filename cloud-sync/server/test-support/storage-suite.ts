/**
 * A route suite's harness on one storage kind: started before the suite's tests,
 * closed after, and every test skipped with the reason when that database is not
 * there (PostgreSQL down on a laptop), instead of failing.
 */
import { after, before, it } from 'node:test';
import type { CloudOptions } from '../options.js';
import { StorageUnavailable, startHarness, type Harness, type StorageKind } from './harness.js';

export interface StorageSuite {
  /** The suite's harness (only inside a test or the setup). */
  readonly h: () => Harness;
  readonly test: (name: string, fn: () => Promise<void>) => void;
}

/** Call inside a describe; `setup` runs once the harness is up. */
export function storageSuite(storage: StorageKind, overrides: Partial<CloudOptions>, setup: (h: Harness) => Promise<void> = () => Promise.resolve()): StorageSuite {
  let harness: Harness | undefined;
  let skip: string | undefined;
  before(async () => {
    try {
      harness = await startHarness(overrides, { storage });
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      skip = error.message;
      return;
    }
    await setup(harness);
  });
  after(async () => {
    await harness?.close();
  });
  return {
    h: () => {
      if (harness === undefined) throw new Error('the harness is not up');
      return harness;
    },
    test: (name, fn) => {
      it(name, async (t) => {
        if (skip !== undefined) return t.skip(skip);
        await fn();
      });
    },
  };
}
