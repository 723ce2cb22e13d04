/** Alert rules, the device config they make up with calibrations, and its version — on SQLite. */
import type { Database } from 'better-sqlite3';
import { asyncOf, type SyncOf } from './sync-adapter.js';
import type { CalibrationMap } from '../../../protocol/index.js';
import { GatewayGoneError, type AlertRepository } from '../repository.js';
import { calibrationsFromRows, deviceRuleFromRow, ruleFromRow, type RuleRow } from '../rule-rows.js';
import type { RuleDraft, Sensor } from '../types.js';

const SELECT_RULE = `SELECT r.id, r.user_id, g.id AS gateway_id, s.local_id, r.name, r.type, r.params, r.enabled, r.notify, r.created_at, r.updated_at
  FROM alert_rules r JOIN sensors s ON s.pk = r.sensor_pk JOIN gateways g ON g.pk = r.gateway_pk`;

export function sqliteAlerts(db: Database): AlertRepository {
  const bump = db.prepare('UPDATE gateways SET config_version = config_version + 1, updated_at = ? WHERE pk = ?');
  const owned = db.prepare<[string, string], RuleRow & { gateway_pk: number }>(`${SELECT_RULE.replace('SELECT ', 'SELECT r.gateway_pk, ')} WHERE r.id = ? AND r.user_id = ?`);

  const create = db.transaction((userId: string, sensor: Sensor, id: string, draft: RuleDraft, now: number) => {
    const gatewayPk = (db.prepare('SELECT gateway_pk FROM sensors WHERE pk = ?').get(sensor.key) as { gateway_pk: number }).gateway_pk;
    db.prepare(
      `INSERT INTO alert_rules (id, user_id, gateway_pk, sensor_pk, name, type, params, enabled, notify, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, userId, gatewayPk, sensor.key, draft.name, draft.type, JSON.stringify(draft.params), draft.enabled ? 1 : 0, JSON.stringify(draft.notify), now, now);
    bump.run(now, gatewayPk);
    return ruleFromRow(owned.get(id, userId) as RuleRow);
  });
  const update = db.transaction((userId: string, id: string, draft: RuleDraft, now: number) => {
    const current = owned.get(id, userId);
    if (current === undefined) return undefined;
    db.prepare('UPDATE alert_rules SET name = ?, type = ?, params = ?, enabled = ?, notify = ?, updated_at = ? WHERE id = ?').run(
      draft.name,
      draft.type,
      JSON.stringify(draft.params),
      draft.enabled ? 1 : 0,
      JSON.stringify(draft.notify),
      now,
      id,
    );
    bump.run(now, current.gateway_pk);
    return ruleFromRow(owned.get(id, userId) as RuleRow);
  });
  const remove = db.transaction((userId: string, id: string, now: number) => {
    const current = owned.get(id, userId);
    if (current === undefined) return false;
    db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id);
    bump.run(now, current.gateway_pk);
    return true;
  });
  const putCalibrations = db.transaction((gatewayId: string, calibrations: CalibrationMap, now: number) => {
    const gw = db.prepare('SELECT pk FROM gateways WHERE id = ?').get(gatewayId) as { pk: number } | undefined;
    if (gw === undefined) throw new GatewayGoneError(gatewayId);
    const upsert = db.prepare(
      `INSERT INTO calibrations (gateway_pk, sensor_local_id, calibration, updated_at, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (gateway_pk, sensor_local_id) DO UPDATE SET calibration = excluded.calibration, updated_at = excluded.updated_at,
         received_at = excluded.received_at WHERE excluded.updated_at > calibrations.updated_at`,
    );
    let changed = 0;
    for (const [sensorId, entry] of Object.entries(calibrations)) {
      changed += upsert.run(gw.pk, sensorId, JSON.stringify(entry.calibration), entry.updatedAt, now).changes;
    }
    if (changed > 0) bump.run(now, gw.pk);
    const version = (db.prepare('SELECT config_version AS v FROM gateways WHERE pk = ?').get(gw.pk) as { v: number }).v;
    return { version: Number(version), changed };
  });

  const sync: SyncOf<AlertRepository> = {
    list(userId, sensorId) {
      const rows = db.prepare(`${SELECT_RULE} WHERE r.user_id = ? ORDER BY r.created_at, r.id`).all(userId) as RuleRow[];
      const rules = rows.map(ruleFromRow);
      return sensorId === undefined ? rules : rules.filter((r) => r.sensorId === sensorId);
    },
    get(userId, id) {
      const row = owned.get(id, userId);
      return row === undefined ? undefined : ruleFromRow(row);
    },
    create(userId, sensor, id, draft, now) {
      return create(userId, sensor, id, draft, now);
    },
    update(userId, id, draft, now) {
      return update(userId, id, draft, now);
    },
    remove(userId, id, now) {
      return remove(userId, id, now);
    },
    deviceConfig(gatewayId) {
      const gw = db.prepare('SELECT pk, config_version FROM gateways WHERE id = ?').get(gatewayId) as { pk: number; config_version: number } | undefined;
      if (gw === undefined) throw new GatewayGoneError(gatewayId);
      const rules = db.prepare(`${SELECT_RULE} WHERE r.gateway_pk = ? ORDER BY r.created_at, r.id`).all(gw.pk) as RuleRow[];
      const calibrations = db
        .prepare('SELECT sensor_local_id, calibration, updated_at FROM calibrations WHERE gateway_pk = ? ORDER BY sensor_local_id')
        .all(gw.pk) as { sensor_local_id: string; calibration: string; updated_at: number }[];
      return { version: Number(gw.config_version), rules: rules.map(deviceRuleFromRow), calibrations: calibrationsFromRows(calibrations) };
    },
    putCalibrations(gatewayId, calibrations, now) {
      return putCalibrations(gatewayId, calibrations, now);
    },
  };
  return asyncOf(sync);
}
