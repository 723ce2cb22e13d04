/**
 * Whether a sensor's number may be shown as current (docs/architecture.md, "Honest numbers": never a number
 * without its freshness and its sensor's health). The gateway judges "stale" itself
 * (no reading for 3 sampling intervals, with the sensor's real interval) and says so
 * in its heartbeat; the cloud adds what the gateway cannot: that the gateway went
 * silent, or that newer readings are still waiting on it to upload.
 */
import type { Health, Quality, Reading, Sensor } from '../api/types.js';

export interface GatewayFreshness {
  readonly online: boolean;
  readonly lastSeenAt: number | null;
  /** From the last heartbeat; null before the first one. */
  readonly backlog: { readonly records: number; readonly oldestAt: number | null } | null;
}

export type SensorDisplay =
  /** Trustworthy now. */
  | { readonly kind: 'current'; readonly reading: Reading }
  /** A good reading, but old: shown with why. */
  | { readonly kind: 'old'; readonly reading: Reading; readonly why: string }
  /** Not ok: words instead of a number. */
  | { readonly kind: 'state'; readonly health: Health; readonly words: string; readonly detail: string; readonly lastAt: number | null }
  | { readonly kind: 'none'; readonly words: string };

/** Newer readings stuck on the gateway for longer than this make the cloud's latest "old". */
export const UPLOAD_LAG_MS = 3 * 60_000;

export const HEALTH_WORDS: Readonly<Record<Health, { readonly words: string; readonly detail: string }>> = {
  ok: { words: 'Working', detail: 'Readings are arriving normally.' },
  warming_up: { words: 'Warming up', detail: 'A gas sensor’s heater needs a few minutes after power-up; its readings count once it is ready.' },
  stale: { words: 'Not reporting', detail: 'No reading for more than three sampling intervals: check the sensor’s power and cable.' },
  disconnected: { words: 'Disconnected', detail: 'The gateway gets no answer from this sensor: check its cable and connector.' },
  out_of_range: { words: 'Reading out of range', detail: 'The value is outside what the sensor can measure: check how it is mounted and calibrated.' },
  stuck: { words: 'Stuck at one value', detail: 'The value has not moved for a long time: the sensor may be jammed or faulty.' },
  noisy: { words: 'Noisy readings', detail: 'Many readings were garbled or jumped: check the cable, the mounting and interference.' },
};

const NOT_OK: ReadonlySet<Health> = new Set<Health>(['warming_up', 'disconnected', 'out_of_range', 'stuck', 'noisy']);

export function sensorDisplay(sensor: Pick<Sensor, 'health' | 'lastReadingAt'>, reading: Reading | null, gateway: GatewayFreshness, now: number): SensorDisplay {
  const state = (health: Health, lastAt: number | null): SensorDisplay => ({ kind: 'state', health, ...HEALTH_WORDS[health], lastAt });
  if (sensor.health !== null && NOT_OK.has(sensor.health)) return state(sensor.health, reading?.at ?? sensor.lastReadingAt);
  if (reading === null) {
    return sensor.health === 'stale'
      ? state('stale', sensor.lastReadingAt)
      : { kind: 'none', words: 'No reading yet: readings appear here within a minute of the gateway sending them.' };
  }
  if (reading.quality !== 'ok') return state(reading.quality satisfies Quality, reading.at);
  if (sensor.health === 'stale') return { kind: 'old', reading, why: 'Not reporting: no reading for more than three sampling intervals' };
  if (!gateway.online) return { kind: 'old', reading, why: 'The gateway is offline: this is its last reading' };
  const backlog = gateway.backlog;
  if (backlog !== null && backlog.records > 0 && backlog.oldestAt !== null && now - backlog.oldestAt > UPLOAD_LAG_MS) {
    return { kind: 'old', reading, why: `Newer readings are waiting on the gateway to upload (${backlog.records})` };
  }
  return { kind: 'current', reading };
}
