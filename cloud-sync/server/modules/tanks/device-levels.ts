/**
 * HTTP-only level devices (no gateway): the tank's owner issues a token per tank
 * (shown once, stored hashed), and the device reports levels with it. A report is
 * checked like a gateway's reading (a percent 0–100, or a distance the tank's
 * geometry turns into one; not in the future beyond a small skew) and stored as a
 * tank level with source `device`, keyed by the device's own reading id so a
 * retry stores nothing new and answers the same.
 */
import type { Actor } from '../../auth/actor.js';
import { newToken, sha256 } from '../../auth/secrets.js';
import type { ServerClock } from '../../clock.js';
import { apiError, badField, notFound } from '../../errors.js';
import type { TankLevel } from '../../storage/order-types.js';
import type { Repository } from '../../storage/repository.js';
import type { DistanceGeometry } from '../../storage/tank-devices-repository.js';

/** A device clock a little ahead is tolerated (no NTP on a cheap board); more is a wrong clock. */
export const DEVICE_CLOCK_SKEW_MS = 2 * 60_000;

export interface WaterLevelReport {
  readonly readingId: string;
  readonly at: number;
  readonly percent?: number;
  readonly distanceMm?: number;
}

export interface StoredReport {
  readonly tankId: string;
  readonly readingId: string;
  readonly level: TankLevel;
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Percent full from the distance to the surface, clamped to 0–100 (a wave or foam reads a little past the ends). */
export function percentFromDistance(distanceMm: number, g: DistanceGeometry): number {
  const percent = ((g.emptyDistanceMm - distanceMm) / (g.emptyDistanceMm - g.fullDistanceMm)) * 100;
  return Math.round(Math.min(100, Math.max(0, percent)) * 10) / 10;
}

export class DeviceLevels {
  constructor(
    private readonly repo: Pick<Repository, 'tanks' | 'tankDevices'>,
    private readonly clock: ServerClock,
  ) {}

  /** A new token for the tank's device (the previous one stops working); returned once. */
  async issueCredential(actor: Actor, tankId: string, geometry: Partial<DistanceGeometry>): Promise<{ tankId: string; token: string }> {
    const tank = await this.repo.tanks.get(actor.userId, tankId);
    if (tank === undefined) throw notFound('tank', tankId);
    const { emptyDistanceMm: empty, fullDistanceMm: full } = geometry;
    if ((empty === undefined) !== (full === undefined)) throw badField(empty === undefined ? 'emptyDistanceMm' : 'fullDistanceMm', 'give both distances, or neither');
    if (empty !== undefined && full !== undefined && full >= empty) throw badField('fullDistanceMm', 'must be less than emptyDistanceMm (the sensor looks down at the surface)');
    const token = newToken('etd');
    const stored = empty === undefined || full === undefined ? null : { emptyDistanceMm: empty, fullDistanceMm: full };
    await this.repo.tankDevices.setCredential(tank.id, sha256(token), stored, this.clock.now());
    return { tankId: tank.id, token };
  }

  async report(token: string | undefined, report: WaterLevelReport): Promise<StoredReport> {
    const device = token === undefined ? undefined : await this.repo.tankDevices.byTokenHash(sha256(token));
    if (device === undefined) throw apiError('EASYGAS_TANK_DEVICE_CREDENTIAL_INVALID', {});
    const now = this.clock.now();
    if (report.at > now + DEVICE_CLOCK_SKEW_MS) throw badField('at', `must not be more than ${DEVICE_CLOCK_SKEW_MS / 1000} s in the future (is the device clock set?)`);
    const percent = this.#percent(report, device.geometry);
    const litres = Math.round((percent / 100) * device.tank.capacityLitres * 10) / 10;
    const { level } = await this.repo.tankDevices.addReading(device.tank.id, report.readingId, { at: report.at, percent, litres, source: 'device' }, now);
    return { tankId: device.tank.id, readingId: report.readingId, level };
  }

  #percent(report: WaterLevelReport, geometry: DistanceGeometry | null): number {
    if (report.percent !== undefined && report.distanceMm !== undefined) throw badField('distanceMm', 'send percent or distanceMm, not both');
    if (report.percent !== undefined) return report.percent;
    if (report.distanceMm === undefined) throw badField('percent', 'send percent (0–100) or distanceMm');
    if (geometry === null) throw badField('distanceMm', 'this device credential has no tank geometry: issue it again with emptyDistanceMm and fullDistanceMm, or send percent');
    return percentFromDistance(report.distanceMm, geometry);
  }
}
