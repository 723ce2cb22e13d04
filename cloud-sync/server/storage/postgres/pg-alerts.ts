/** Alert rules, the device config they make up with calibrations, and its version — on PostgreSQL. */
import type pg from 'pg';
import { GatewayGoneError, type AlertRepository } from '../repository.js';
import { calibrationsFromRows, deviceRuleFromRow, ruleFromRow, type RuleRow } from '../rule-rows.js';
import { inTransaction, type Tx } from './pg-pool.js';

const SELECT_RULE = `SELECT r.id, r.user_id, r.gateway_pk, g.id AS gateway_id, s.local_id, r.name, r.type, r.params, r.enabled, r.notify,
  r.created_at, r.updated_at FROM alert_rules r JOIN sensors s ON s.pk = r.sensor_pk JOIN gateways g ON g.pk = r.gateway_pk`;

type OwnedRule = RuleRow & { gateway_pk: number };

async function owned(db: Pick<pg.Pool, 'query'>, userId: string, id: string, lock = false): Promise<OwnedRule | undefined> {
  const { rows } = await db.query<OwnedRule>(`${SELECT_RULE} WHERE r.id = $1 AND r.user_id = $2${lock ? ' FOR UPDATE OF r' : ''}`, [id, userId]);
  return rows[0];
}

async function bump(tx: Tx, gatewayPk: number, now: number): Promise<void> {
  await tx.query('UPDATE gateways SET config_version = config_version + 1, updated_at = $2 WHERE pk = $1', [gatewayPk, now]);
}

export function pgAlerts(pool: pg.Pool): AlertRepository {
  return {
    async list(userId, sensorId) {
      const { rows } = await pool.query<RuleRow>(`${SELECT_RULE} WHERE r.user_id = $1 ORDER BY r.created_at, r.id`, [userId]);
      const rules = rows.map(ruleFromRow);
      return sensorId === undefined ? rules : rules.filter((r) => r.sensorId === sensorId);
    },
    async get(userId, id) {
      const row = await owned(pool, userId, id);
      return row === undefined ? undefined : ruleFromRow(row);
    },
    async create(userId, sensor, id, draft, now) {
      return inTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ gateway_pk: number }>('SELECT gateway_pk FROM sensors WHERE pk = $1', [sensor.key]);
        const gatewayPk = rows[0]?.gateway_pk;
        if (gatewayPk === undefined) throw new Error(`sensor ${sensor.id} vanished`);
        await tx.query(
          `INSERT INTO alert_rules (id, user_id, gateway_pk, sensor_pk, name, type, params, enabled, notify, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, $10)`,
          [id, userId, gatewayPk, sensor.key, draft.name, draft.type, JSON.stringify(draft.params), draft.enabled, JSON.stringify(draft.notify), now],
        );
        await bump(tx, gatewayPk, now);
        return ruleFromRow((await owned(tx, userId, id)) as RuleRow);
      });
    },
    async update(userId, id, draft, now) {
      return inTransaction(pool, async (tx) => {
        const current = await owned(tx, userId, id, true);
        if (current === undefined) return undefined;
        await tx.query(
          'UPDATE alert_rules SET name = $2, type = $3, params = $4::jsonb, enabled = $5, notify = $6::jsonb, updated_at = $7 WHERE id = $1',
          [id, draft.name, draft.type, JSON.stringify(draft.params), draft.enabled, JSON.stringify(draft.notify), now],
        );
        await bump(tx, current.gateway_pk, now);
        return ruleFromRow((await owned(tx, userId, id)) as RuleRow);
      });
    },
    async remove(userId, id, now) {
      return inTransaction(pool, async (tx) => {
        const current = await owned(tx, userId, id, true);
        if (current === undefined) return false;
        await tx.query('DELETE FROM alert_rules WHERE id = $1', [id]);
        await bump(tx, current.gateway_pk, now);
        return true;
      });
    },
    async deviceConfig(gatewayId) {
      const { rows: gws } = await pool.query<{ pk: number; config_version: number }>('SELECT pk, config_version FROM gateways WHERE id = $1', [gatewayId]);
      const gw = gws[0];
      if (gw === undefined) throw new GatewayGoneError(gatewayId);
      const { rows: rules } = await pool.query<RuleRow>(`${SELECT_RULE} WHERE r.gateway_pk = $1 ORDER BY r.created_at, r.id`, [gw.pk]);
      const { rows: calibrations } = await pool.query<{ sensor_local_id: string; calibration: unknown; updated_at: number }>(
        'SELECT sensor_local_id, calibration, updated_at FROM calibrations WHERE gateway_pk = $1 ORDER BY sensor_local_id',
        [gw.pk],
      );
      return { version: Number(gw.config_version), rules: rules.map(deviceRuleFromRow), calibrations: calibrationsFromRows(calibrations) };
    },
    async putCalibrations(gatewayId, calibrations, now) {
      return inTransaction(pool, async (tx) => {
        const { rows: gws } = await tx.query<{ pk: number }>('SELECT pk FROM gateways WHERE id = $1 FOR UPDATE', [gatewayId]);
        const gw = gws[0];
        if (gw === undefined) throw new GatewayGoneError(gatewayId);
        let changed = 0;
        for (const [sensorId, entry] of Object.entries(calibrations)) {
          const result = await tx.query(
            `INSERT INTO calibrations (gateway_pk, sensor_local_id, calibration, updated_at, received_at) VALUES ($1, $2, $3::jsonb, $4, $5)
             ON CONFLICT (gateway_pk, sensor_local_id) DO UPDATE SET calibration = EXCLUDED.calibration, updated_at = EXCLUDED.updated_at,
               received_at = EXCLUDED.received_at WHERE EXCLUDED.updated_at > calibrations.updated_at`,
            [gw.pk, sensorId, JSON.stringify(entry.calibration), entry.updatedAt, now],
          );
          changed += result.rowCount ?? 0;
        }
        if (changed > 0) await bump(tx, gw.pk, now);
        const { rows } = await tx.query<{ v: number }>('SELECT config_version AS v FROM gateways WHERE pk = $1', [gw.pk]);
        return { version: Number(rows[0]?.v ?? 0), changed };
      });
    },
  };
}
