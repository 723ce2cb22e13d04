/** Shared by the store's tests: temporary data directories and sample readings/events. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { ConditionEvent, Reading } from '../../pipeline/types.js';
import { GatewayStore } from '../gateway-store.js';
import type { SystemEvent } from '../records.js';

export const T0 = Date.UTC(2026, 0, 1);

/** A fresh directory removed after the test. */
export function tempDir(t: TestContext, prefix = 'easygas-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function reading(i: number, overrides: Partial<Reading> = {}): Reading {
  return {
    sensorId: `tank-${i % 3}`,
    kind: 'level',
    at: T0 + i * 1000,
    mono: i * 1000,
    clockSynced: true,
    value: i,
    unit: '%',
    raw: 1 + i / 1000,
    percent: i,
    litres: i * 2,
    quality: 'ok',
    ...overrides,
  };
}

export function readings(from: number, count: number, overrides: Partial<Reading> = {}): Reading[] {
  return Array.from({ length: count }, (_, k) => reading(from + k, overrides));
}

export function gasEvent(overrides: Partial<ConditionEvent> = {}): ConditionEvent {
  return {
    sensorId: 'kitchen-gas',
    condition: 'gas',
    state: 'raised',
    severity: 'critical',
    severe: false,
    at: T0,
    mono: 0,
    clockSynced: true,
    value: 25,
    unit: '%LEL',
    threshold: 20,
    message: 'Gas at 25 %LEL in the kitchen (alarm at 20)',
    ...overrides,
  };
}

export function systemEvent(overrides: Partial<SystemEvent> = {}): SystemEvent {
  return { type: 'gateway_started', at: T0, clockSynced: false, severity: 'info', message: 'started', ...overrides };
}

/** Waits for `predicate` to hold, polling on real time, failing after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2)); // a poll interval, not a settling delay
  }
}

/**
 * A data dir as a gateway killed with -9 leaves it: `stored` readings moved into
 * SQLite, `journaled` more only in readings.journal.
 */
export function killedGatewayDataDir(dir: string, stored: number, journaled: number): void {
  const store = GatewayStore.open(join(dir, 'gateway.db'));
  store.appendReadings(readings(0, stored));
  store.transfer();
  store.appendReadings(readings(stored, journaled));
  store.close({ transfer: false });
}
