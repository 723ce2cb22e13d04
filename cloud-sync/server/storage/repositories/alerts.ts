/** Alert rules, the device config they make up with calibrations, and its version. */
import type { Db } from '../db/database.js';
import { GatewayGoneError, type AlertRepository } from '../repository.js';
import { calibrationsFromRows, deviceRuleFromRow, ruleFromRow } from '../rule-rows.js';

function selectRules(db: Db) {
  return db.kysely
    .selectFrom('alert_rules as r')
    .innerJoin('sensors as s', 's.pk', 'r.sensor_pk')
    .innerJoin('gateways as g', 'g.pk', 'r.gateway_pk')
    .select(['r.id', 'r.user_id', 'r.gateway_pk', 'g.id as gateway_id', 's.local_id', 'r.name', 'r.type', 'r.params', 'r.enabled', 'r.notify', 'r.created_at', 'r.updated_at']);
}

/** The rule if `userId` owns it; locked for the rest of the transaction on PostgreSQL when `lock`. */
function owned(db: Db, userId: string, id: string, lock = false) {
  return selectRules(db)
    .where('r.id', '=', id)
    .where('r.user_id', '=', userId)
    .$if(lock && db.dialect === 'postgres', (q) => q.forUpdate('r'))
    .executeTakeFirst();
}

async function bump(tx: Db, gatewayPk: number, now: number): Promise<void> {
  await tx.kysely
    .updateTable('gateways')
    .set((eb) => ({ config_version: eb('config_version', '+', 1), updated_at: now }))
    .where('pk', '=', gatewayPk)
    .execute();
}

export function alerts(db: Db): AlertRepository {
  return {
    async list(userId, sensorId) {
      const rules = (await selectRules(db).where('r.user_id', '=', userId).orderBy('r.created_at').orderBy('r.id').execute()).map(ruleFromRow);
      return sensorId === undefined ? rules : rules.filter((r) => r.sensorId === sensorId);
    },
    async get(userId, id) {
      const row = await owned(db, userId, id);
      return row === undefined ? undefined : ruleFromRow(row);
    },
    create(userId, sensor, id, draft, now) {
      return db.atomic(async (tx) => {
        const found = await tx.kysely.selectFrom('sensors').select('gateway_pk').where('pk', '=', sensor.key).executeTakeFirst();
        if (found === undefined) throw new Error(`sensor ${sensor.id} vanished`);
        await tx.kysely
          .insertInto('alert_rules')
          .values({
            id,
            user_id: userId,
            gateway_pk: found.gateway_pk,
            sensor_pk: sensor.key,
            name: draft.name,
            type: draft.type,
            params: JSON.stringify(draft.params),
            enabled: draft.enabled,
            notify: JSON.stringify(draft.notify),
            created_at: now,
            updated_at: now,
          })
          .execute();
        await bump(tx, found.gateway_pk, now);
        const row = await owned(tx, userId, id);
        if (row === undefined) throw new Error('rule vanished after insert');
        return ruleFromRow(row);
      });
    },
    update(userId, id, draft, now) {
      return db.atomic(async (tx) => {
        const current = await owned(tx, userId, id, true);
        if (current === undefined) return undefined;
        await tx.kysely
          .updateTable('alert_rules')
          .set({ name: draft.name, type: draft.type, params: JSON.stringify(draft.params), enabled: draft.enabled, notify: JSON.stringify(draft.notify), updated_at: now })
          .where('id', '=', id)
          .execute();
        await bump(tx, current.gateway_pk, now);
        const row = await owned(tx, userId, id);
        return row === undefined ? undefined : ruleFromRow(row);
      });
    },
    remove(userId, id, now) {
      return db.atomic(async (tx) => {
        const current = await owned(tx, userId, id, true);
        if (current === undefined) return false;
        await tx.kysely.deleteFrom('alert_rules').where('id', '=', id).execute();
        await bump(tx, current.gateway_pk, now);
        return true;
      });
    },
    async deviceConfig(gatewayId) {
      const gw = await db.kysely.selectFrom('gateways').select(['pk', 'config_version']).where('id', '=', gatewayId).executeTakeFirst();
      if (gw === undefined) throw new GatewayGoneError(gatewayId);
      const rules = await selectRules(db).where('r.gateway_pk', '=', gw.pk).orderBy('r.created_at').orderBy('r.id').execute();
      const calibrations = await db.kysely
        .selectFrom('calibrations')
        .select(['sensor_local_id', 'calibration', 'updated_at'])
        .where('gateway_pk', '=', gw.pk)
        .orderBy('sensor_local_id')
        .execute();
      return { version: Number(gw.config_version), rules: rules.map(deviceRuleFromRow), calibrations: calibrationsFromRows(calibrations) };
    },
    putCalibrations(gatewayId, calibrations, now) {
      return db.atomic(async (tx) => {
        const gw = await tx.kysely
          .selectFrom('gateways')
          .select('pk')
          .where('id', '=', gatewayId)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst();
        if (gw === undefined) throw new GatewayGoneError(gatewayId);
        let changed = 0;
        for (const [sensorId, entry] of Object.entries(calibrations)) {
          const result = await tx.kysely
            .insertInto('calibrations')
            .values({ gateway_pk: gw.pk, sensor_local_id: sensorId, calibration: JSON.stringify(entry.calibration), updated_at: entry.updatedAt, received_at: now })
            .onConflict((oc) =>
              oc
                .columns(['gateway_pk', 'sensor_local_id'])
                .doUpdateSet((eb) => ({ calibration: eb.ref('excluded.calibration'), updated_at: eb.ref('excluded.updated_at'), received_at: eb.ref('excluded.received_at') }))
                .where('excluded.updated_at', '>', (eb) => eb.ref('calibrations.updated_at')),
            )
            .executeTakeFirst();
          changed += Number(result.numInsertedOrUpdatedRows ?? 0n);
        }
        if (changed > 0) await bump(tx, gw.pk, now);
        const row = await tx.kysely.selectFrom('gateways').select('config_version').where('pk', '=', gw.pk).executeTakeFirstOrThrow();
        return { version: Number(row.config_version), changed };
      });
    },
  };
}
