/**
 * A customer's tanks: the tank itself, the sensor it may be linked to, and its
 * levels — the sensor's hourly levels when linked, plus readings typed in by hand.
 * Another owner's tank (or sensor, or a supplier that does not exist) is not found.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { apiError, badField, notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { Tank, TankDraft, TankLevel } from '../../storage/order-types.js';
import type { TankCreateBody, TankPatchBody } from './schemas.js';
import { sensorCapacity } from './sensor-capacity.js';

export type TanksStorage = Pick<Repository, 'tanks' | 'suppliers' | 'readings'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export class TanksService {
  constructor(
    private readonly repo: TanksStorage,
    private readonly clock: ServerClock,
  ) {}

  list(actor: Actor): Promise<Tank[]> {
    return this.repo.tanks.list(actor.userId);
  }

  async get(actor: Actor, id: string): Promise<Tank> {
    const tank = await this.repo.tanks.get(actor.userId, id);
    if (tank === undefined) throw notFound('tank', id);
    return tank;
  }

  async create(actor: Actor, body: Static<typeof TankCreateBody>): Promise<Tank> {
    const capacityLitres = body.capacityLitres ?? (await sensorCapacity(this.repo.readings, actor.userId, body.sensorId ?? null));
    const draft = await this.#draft(actor, { ...body, capacityLitres });
    return this.repo.tanks.create(actor.userId, randomUUID(), draft, this.clock.now());
  }

  async update(actor: Actor, id: string, patch: Static<typeof TankPatchBody>): Promise<Tank> {
    const tank = await this.get(actor, id);
    const draft = await this.#draft(actor, { ...tank, ...patch });
    const updated = await this.repo.tanks.update(actor.userId, id, draft, this.clock.now());
    if (updated === undefined) throw notFound('tank', id);
    return updated;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const removed = await this.repo.tanks.remove(actor.userId, id);
    if (removed === 'open_order') throw apiError('EASYGAS_TANK_HAS_OPEN_ORDER', { id });
    if (!removed) throw notFound('tank', id);
  }

  /** The sensor's hourly levels (when linked) and the stored ones, oldest first. */
  async levels(actor: Actor, id: string, range: { from?: number; to?: number }): Promise<TankLevel[]> {
    const tank = await this.get(actor, id);
    const to = range.to ?? this.clock.now() + 60_000;
    const from = range.from ?? to - 30 * DAY;
    if (from >= to) throw apiError('EASYGAS_RANGE_INVALID', { reason: 'from must be before to' });
    return this.levelsOf(tank, from, to);
  }

  async levelsOf(tank: Tank, from: number, to: number): Promise<TankLevel[]> {
    const stored = await this.repo.tanks.levels(tank.id, from, to, 5_000);
    const sensor = tank.sensorId === null ? undefined : await this.repo.readings.sensor(tank.userId, tank.sensorId);
    const seen: TankLevel[] =
      sensor === undefined
        ? []
        : (await this.repo.readings.levelSeries(sensor.key, from, to, HOUR)).flatMap((p) => (p.percent === null ? [] : [{ at: p.at, percent: p.percent, litres: p.litres, source: 'sensor' as const }]));
    return [...seen, ...stored].sort((a, b) => a.at - b.at);
  }

  /** The newest of the sensor's latest ok reading and the last stored level. */
  async current(actor: Actor, id: string): Promise<TankLevel | null> {
    const tank = await this.get(actor, id);
    return this.currentOf(tank);
  }

  async currentOf(tank: Tank): Promise<TankLevel | null> {
    const now = this.clock.now();
    const stored = (await this.repo.tanks.levels(tank.id, 0, now + 60_000, 1))[0];
    const sensor = tank.sensorId === null ? undefined : await this.repo.readings.sensor(tank.userId, tank.sensorId);
    const latest = sensor === undefined ? undefined : await this.repo.readings.latest(sensor.key);
    const fromSensor: TankLevel | undefined =
      latest?.percent === null || latest?.percent === undefined ? undefined : { at: latest.at, percent: latest.percent, litres: latest.litres, source: 'sensor' };
    const candidates = [stored, fromSensor].filter((l): l is TankLevel => l !== undefined).sort((a, b) => b.at - a.at);
    return candidates[0] ?? null;
  }

  async addManualLevel(actor: Actor, id: string, body: { percent: number; at?: number }): Promise<TankLevel> {
    const tank = await this.get(actor, id);
    const now = this.clock.now();
    const at = body.at ?? now;
    if (at > now + 60_000) throw badField('at', 'must not be in the future');
    const level: TankLevel = { at, percent: body.percent, litres: Math.round((body.percent / 100) * tank.capacityLitres * 10) / 10, source: 'manual' };
    await this.repo.tanks.addLevel(tank.id, level, now);
    return level;
  }

  async #draft(actor: Actor, body: Static<typeof TankCreateBody> & { capacityLitres: number }): Promise<TankDraft> {
    const draft: TankDraft = {
      name: body.name,
      product: body.product,
      capacityLitres: body.capacityLitres,
      lowThreshold: body.lowThreshold ?? 20,
      reorderLevel: body.reorderLevel ?? 25,
      autoOrder: body.autoOrder ?? false,
      preferredSupplierId: body.preferredSupplierId ?? null,
      sensorId: body.sensorId ?? null,
      address: body.address,
      accessNotes: body.accessNotes ?? null,
    };
    if (draft.sensorId !== null) {
      const sensor = await this.repo.readings.sensor(actor.userId, draft.sensorId);
      if (sensor === undefined) throw notFound('sensor', draft.sensorId);
      if (sensor.kind !== 'level') throw apiError('EASYGAS_NOT_A_LEVEL_SENSOR', { id: sensor.id, kind: sensor.kind });
    }
    if (draft.preferredSupplierId !== null) {
      const supplier = await this.repo.suppliers.get(draft.preferredSupplierId);
      if (supplier === undefined || !supplier.active) throw badField('preferredSupplierId', 'no active supplier has this id (GET /api/suppliers lists them)');
      if (supplier.prices[draft.product] === undefined) throw badField('preferredSupplierId', `this supplier does not deliver ${draft.product}`);
    }
    if (draft.autoOrder && draft.preferredSupplierId === null) throw badField('preferredSupplierId', 'auto-order needs a preferred supplier');
    return draft;
  }
}
