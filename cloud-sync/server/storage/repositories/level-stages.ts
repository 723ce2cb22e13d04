/**
 * Two stages for a level sensor, judged in the cloud from each batch's newest
 * percent: a heads-up (`reorder_level`) when the level reaches the tank's reorder
 * level, and the alert (`low_level`) at its low threshold. A sensor linked to a
 * tank takes the tank's levels; otherwise an enabled low_level rule's warning and
 * critical percents. Each stage is an active alert (active-alerts.ts): raised
 * once, not repeated while the level stays below, cleared (one "resolved") only
 * once the level is HYSTERESIS points above it again (a refill), so a reading
 * wobbling at the line notifies no one twice.
 */
import type { Db } from '../db/database.js';
import { parseJson } from '../rows.js';
import { cloudSensorId } from '../sensor-ids.js';
import type { PolicyEvent } from '../types.js';
import { activeAlert, alertKey } from './active-alerts.js';

export const HEADS_UP = 'reorder_level';
export const LOW_LEVEL = 'low_level';
/** Percentage points above a stage's level before it counts as over. */
export const HYSTERESIS = 5;

export interface LevelStages {
  /** Heads-up at or below this percent. */
  readonly headsUpPercent: number;
  /** The alert at or below this percent. */
  readonly lowPercent: number;
  /** Where the levels come from, for the message. */
  readonly source: 'tank' | 'rule';
}

export interface NewestLevel {
  readonly at: number;
  readonly percent: number;
}

/** What a stage does for this level: raise it, clear it, or nothing. */
export function stageChange(percent: number, level: number, active: boolean): 'raise' | 'clear' | undefined {
  if (!active && percent <= level) return 'raise';
  if (active && percent > level + HYSTERESIS) return 'clear';
  return undefined;
}

async function stagesFor(db: Db, gatewayPk: number, gatewayId: string, localId: string): Promise<LevelStages | undefined> {
  const tank = await db.kysely
    .selectFrom('tanks')
    .select(['reorder_level', 'low_threshold'])
    .where('sensor_id', '=', cloudSensorId(gatewayId, localId))
    .executeTakeFirst();
  if (tank !== undefined) return { headsUpPercent: Number(tank.reorder_level), lowPercent: Number(tank.low_threshold), source: 'tank' };
  const rule = await db.kysely
    .selectFrom('alert_rules as r')
    .innerJoin('sensors as s', 's.pk', 'r.sensor_pk')
    .select(['r.params', 'r.enabled'])
    .where('r.gateway_pk', '=', gatewayPk)
    .where('s.local_id', '=', localId)
    .where('r.type', '=', 'low_level')
    .executeTakeFirst();
  if (rule === undefined || !rule.enabled) return undefined;
  const params = parseJson<{ warningPercent?: number; criticalPercent?: number }>(rule.params, {});
  if (params.warningPercent === undefined || params.criticalPercent === undefined) return undefined;
  return { headsUpPercent: params.warningPercent, lowPercent: params.criticalPercent, source: 'rule' };
}

/** The stage events this batch's newest levels raise or clear (none while nothing changes). */
export async function levelStageEvents(db: Db, gatewayPk: number, gatewayId: string, newest: ReadonlyMap<string, NewestLevel>): Promise<PolicyEvent[]> {
  const events: PolicyEvent[] = [];
  for (const [sensorId, level] of newest) {
    const stages = await stagesFor(db, gatewayPk, gatewayId, sensorId);
    if (stages === undefined) continue;
    const where = stages.source === 'tank' ? "the tank's" : "the alert rule's";
    const percent = Math.round(level.percent * 10) / 10;
    for (const [type, threshold, words] of [
      [HEADS_UP, stages.headsUpPercent, `reorder level (${stages.headsUpPercent} %): time to order a refill`],
      [LOW_LEVEL, stages.lowPercent, `low level (${stages.lowPercent} %)`],
    ] as const) {
      const active = (await activeAlert(db, alertKey(gatewayPk, { sensorId, type }))) !== undefined;
      const change = stageChange(level.percent, threshold, active);
      if (change === undefined) continue;
      const message = change === 'raise' ? `Level at ${percent} %, at or below ${where} ${words}` : `Level back to ${percent} %, above ${where} ${type === HEADS_UP ? 'reorder' : 'low'} level`;
      events.push({ type, at: level.at, severity: change === 'raise' ? 'warning' : 'info', message, state: change === 'raise' ? 'raised' : 'cleared', sensorId });
    }
  }
  return events;
}
