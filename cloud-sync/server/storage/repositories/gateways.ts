/** Gateways: provisioning, credentials, heartbeats and presence, status, events. */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../db/database.js';
import { GatewayGoneError, type GatewayRepository, type PresenceChange } from '../repository.js';
import { presenceEvent } from '../presence-events.js';
import { eventFromRow, gatewayFromRow, sensorFromRow } from '../row-mappers.js';
import { parseJson } from '../rows.js';
import type { HeartbeatSummary } from '../types.js';
import { cloudEvent, notify } from './notifications.js';
import { selectSensors } from './sensors.js';

export function selectGateways(db: Db) {
  return db.kysely
    .selectFrom('gateways as g')
    .select((eb) => [
      'g.pk', 'g.id', 'g.user_id', 'g.name', 'g.version', eb('g.credential_hash', 'is not', null).as('credential_active'), 'g.presence',
      'g.last_seen_at', 'g.acked_seq', 'g.config_version', 'g.heartbeat', 'g.created_at', 'g.updated_at',
    ]);
}

const CHUNK = 5_000;

/**
 * A gateway with years of readings: its readings and rollups go in chunks before
 * the gateway row (whose cascade then has little left), so no single statement
 * holds SQLite's one connection, and the event loop, for long.
 */
async function deleteBulkRows(db: Db, gatewayPk: number): Promise<void> {
  for (;;) {
    const readings = await db.kysely
      .deleteFrom('readings')
      .where((eb) => eb(eb.refTuple('gateway_pk', 'seq'), 'in', eb.selectFrom('readings').select(['gateway_pk', 'seq']).where('gateway_pk', '=', gatewayPk).limit(CHUNK).$asTuple('gateway_pk', 'seq')))
      .executeTakeFirst();
    if (Number(readings.numDeletedRows) < CHUNK) break;
    await yieldToEventLoop();
  }
  for (;;) {
    const rollups = await db.kysely
      .deleteFrom('rollups')
      .where((eb) =>
        eb(
          eb.refTuple('sensor_pk', 'span_ms', 'bucket'),
          'in',
          eb
            .selectFrom('rollups as r')
            .innerJoin('sensors as s', 's.pk', 'r.sensor_pk')
            .select(['r.sensor_pk', 'r.span_ms', 'r.bucket'])
            .where('s.gateway_pk', '=', gatewayPk)
            .limit(CHUNK)
            .$asTuple('sensor_pk', 'span_ms', 'bucket'),
        ),
      )
      .executeTakeFirst();
    if (Number(rollups.numDeletedRows) < CHUNK) break;
    await yieldToEventLoop();
  }
}

export function gateways(db: Db): GatewayRepository {
  const owned = (q: Db, id: string, userId: string) => selectGateways(q).where('g.id', '=', id).where('g.user_id', '=', userId).executeTakeFirst();
  return {
    registerWithClaimCode(codeHash, gw, now) {
      return db.atomic(async (tx) => {
        const claimed = await tx.kysely
          .updateTable('claim_codes')
          .set({ used_at: now })
          .where('code_hash', '=', codeHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .returning('user_id')
          .executeTakeFirst();
        if (claimed === undefined) return undefined;
        const taken = await tx.kysely.selectFrom('gateways').select('pk').where('id', '=', gw.id).executeTakeFirst();
        const id = taken === undefined ? gw.id : gw.fallbackId;
        await tx.kysely
          .insertInto('gateways')
          .values({ id, user_id: claimed.user_id, name: gw.name, version: gw.version, credential_hash: gw.credentialHash, created_at: now, updated_at: now })
          .execute();
        const row = await owned(tx, id, claimed.user_id);
        if (row === undefined) throw new Error('gateway vanished after insert');
        return gatewayFromRow(row);
      });
    },
    async list(userId) {
      const rows = await selectGateways(db).where('g.user_id', '=', userId).orderBy('g.created_at').orderBy('g.pk').execute();
      return rows.map(gatewayFromRow);
    },
    async get(userId, id) {
      const row = await owned(db, id, userId);
      return row === undefined ? undefined : gatewayFromRow(row);
    },
    async rename(userId, id, name, now) {
      await db.kysely.updateTable('gateways').set({ name, updated_at: now }).where('id', '=', id).where('user_id', '=', userId).execute();
      const row = await owned(db, id, userId);
      return row === undefined ? undefined : gatewayFromRow(row);
    },
    async remove(userId, id) {
      const gw = await db.kysely.selectFrom('gateways').select('pk').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      if (gw === undefined) return false;
      await deleteBulkRows(db, gw.pk);
      const result = await db.kysely.deleteFrom('gateways').where('pk', '=', gw.pk).where('user_id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async byCredential(hash) {
      const row = await db.kysely.selectFrom('gateways').select(['id', 'user_id']).where('credential_hash', '=', hash).executeTakeFirst();
      return row === undefined ? undefined : { id: row.id, userId: row.user_id };
    },
    async setCredential(userId, id, hash, now) {
      const result = await db.kysely
        .updateTable('gateways')
        .set({ credential_hash: hash, updated_at: now })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    heartbeat(id, hb, now, policy) {
      return db.atomic(async (tx) => {
        // The old presence comes from the locked row (PostgreSQL), so two servers cannot both announce the return.
        const row = await tx.kysely
          .selectFrom('gateways')
          .select(['pk', 'user_id', 'name', 'presence', 'acked_seq', 'config_version'])
          .where('id', '=', id)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst();
        if (row === undefined) throw new GatewayGoneError(id);
        const summary: HeartbeatSummary = {
          receivedAt: now,
          version: hb.version,
          uptimeSeconds: hb.uptimeSeconds,
          clockSynced: hb.clock.synced,
          backlog: { records: hb.backlog.records, oldestAt: hb.backlog.oldestAt ?? null },
        };
        await tx.kysely
          .updateTable('gateways')
          .set({ version: hb.version, last_seen_at: now, presence: 'online', heartbeat: JSON.stringify(summary), updated_at: now })
          .where('pk', '=', row.pk)
          .execute();
        if (hb.sensors.length > 0) {
          await tx.kysely
            .insertInto('sensors')
            .values(
              hb.sensors.map((s) => ({
                gateway_pk: row.pk,
                local_id: s.id,
                kind: s.kind,
                unit: s.unit ?? null,
                name: s.name,
                health: s.health,
                last_reading_at: s.lastReadingAt ?? null,
                first_seen_at: now,
                updated_at: now,
              })),
            )
            .onConflict((oc) =>
              oc.columns(['gateway_pk', 'local_id']).doUpdateSet((eb) => ({
                kind: eb.ref('excluded.kind'),
                name: eb.ref('excluded.name'),
                health: eb.ref('excluded.health'),
                unit: eb.fn.coalesce('excluded.unit', 'sensors.unit'),
                last_reading_at: eb.fn.coalesce('excluded.last_reading_at', 'sensors.last_reading_at'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
        let cameOnline: PresenceChange | undefined;
        if (row.presence === 'offline') {
          const event = presenceEvent('device_online', row.name, now);
          await cloudEvent(tx, row.pk, event, now);
          cameOnline = { gatewayId: id, userId: row.user_id, presence: 'online', notifications: await notify(tx, row.pk, [event], policy, now) };
        }
        return { ackedSeq: Number(row.acked_seq), configVersion: Number(row.config_version), ...(cameOnline === undefined ? {} : { cameOnline }) };
      });
    },
    markOffline(seenBefore, now, policy) {
      return db.atomic(async (tx) => {
        // The conditional UPDATE is the lock: with several servers sweeping, each gateway flips once.
        const flipped = await tx.kysely
          .updateTable('gateways')
          .set({ presence: 'offline', updated_at: now })
          .where('presence', '=', 'online')
          .where('last_seen_at', '<', seenBefore)
          .returning(['pk', 'id', 'user_id', 'name', 'last_seen_at'])
          .execute();
        const changes: PresenceChange[] = [];
        for (const g of flipped) {
          const event = presenceEvent('device_offline', g.name, now, Number(g.last_seen_at));
          await cloudEvent(tx, g.pk, event, now);
          changes.push({ gatewayId: g.id, userId: g.user_id, presence: 'offline', notifications: await notify(tx, g.pk, [event], policy, now) });
        }
        return changes;
      });
    },
    async status(userId, id) {
      const row = await owned(db, id, userId);
      if (row === undefined) return undefined;
      const sensors = await selectSensors(db).where('s.gateway_pk', '=', row.pk).orderBy('s.local_id').execute();
      return { gateway: gatewayFromRow(row), heartbeat: parseJson<HeartbeatSummary | null>(row.heartbeat, null), sensors: sensors.map(sensorFromRow) };
    },
    async events(userId, id, options) {
      const row = await owned(db, id, userId);
      if (row === undefined) return undefined;
      const rows = await db.kysely
        .selectFrom('events')
        .select(['pk', 'seq', 'source', 'ts', 'type', 'sensor_local_id', 'state', 'severity', 'message', 'value', 'unit', 'clock_synced'])
        .where('gateway_pk', '=', row.pk)
        .$if(options.before !== undefined, (q) => q.where('ts', '<', options.before ?? 0))
        .orderBy('ts', 'desc')
        .orderBy('pk', 'desc')
        .limit(options.limit)
        .execute();
      return rows.map((r) => eventFromRow(r, id));
    },
  };
}
