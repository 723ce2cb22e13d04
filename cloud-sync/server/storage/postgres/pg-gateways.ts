/** Gateways: provisioning, credentials, heartbeats and presence, status, events — on PostgreSQL. */
import type pg from 'pg';
import { GatewayGoneError, type GatewayRepository, type PresenceChange } from '../repository.js';
import { parseJson } from '../rows.js';
import { presenceEvent } from '../presence-events.js';
import type { HeartbeatSummary } from '../types.js';
import { eventFromRow, GATEWAY_COLUMNS, gatewayFromRow, SENSOR_COLUMNS, sensorFromRow, type GatewayRow, type SensorRow } from '../row-mappers.js';
import { pgCloudEvent, pgNotify } from './pg-notifications.js';
import { inTransaction } from './pg-pool.js';

export function pgGateways(pool: pg.Pool): GatewayRepository {
  const owned = async (db: Pick<pg.Pool, 'query'>, id: string, userId: string): Promise<GatewayRow | undefined> => {
    const { rows } = await db.query<GatewayRow>(`SELECT ${GATEWAY_COLUMNS} FROM gateways g WHERE g.id = $1 AND g.user_id = $2`, [id, userId]);
    return rows[0];
  };
  return {
    async registerWithClaimCode(codeHash, gw, now) {
      return inTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ user_id: string }>(
          'UPDATE claim_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id',
          [codeHash, now],
        );
        const userId = rows[0]?.user_id;
        if (userId === undefined) return undefined;
        await tx.query('INSERT INTO gateways (id, user_id, name, version, credential_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)', [
          gw.id,
          userId,
          gw.name,
          gw.version,
          gw.credentialHash,
          now,
        ]);
        return gatewayFromRow((await owned(tx, gw.id, userId)) as GatewayRow);
      });
    },
    async list(userId) {
      const { rows } = await pool.query<GatewayRow>(`SELECT ${GATEWAY_COLUMNS} FROM gateways g WHERE g.user_id = $1 ORDER BY g.created_at, g.pk`, [userId]);
      return rows.map(gatewayFromRow);
    },
    async get(userId, id) {
      const row = await owned(pool, id, userId);
      return row === undefined ? undefined : gatewayFromRow(row);
    },
    async rename(userId, id, name, now) {
      await pool.query('UPDATE gateways SET name = $3, updated_at = $4 WHERE id = $1 AND user_id = $2', [id, userId, name, now]);
      const row = await owned(pool, id, userId);
      return row === undefined ? undefined : gatewayFromRow(row);
    },
    async remove(userId, id) {
      const { rowCount } = await pool.query('DELETE FROM gateways WHERE id = $1 AND user_id = $2', [id, userId]);
      return (rowCount ?? 0) > 0;
    },
    async byCredential(hash) {
      const { rows } = await pool.query<{ id: string; user_id: string }>('SELECT id, user_id FROM gateways WHERE credential_hash = $1', [hash]);
      return rows[0] === undefined ? undefined : { id: rows[0].id, userId: rows[0].user_id };
    },
    async setCredential(userId, id, hash, now) {
      const { rowCount } = await pool.query('UPDATE gateways SET credential_hash = $3, updated_at = $4 WHERE id = $1 AND user_id = $2', [id, userId, hash, now]);
      return (rowCount ?? 0) > 0;
    },
    async heartbeat(id, hb, now, policy) {
      return inTransaction(pool, async (tx) => {
        const summary: HeartbeatSummary = {
          receivedAt: now,
          version: hb.version,
          uptimeSeconds: hb.uptimeSeconds,
          clockSynced: hb.clock.synced,
          backlog: { records: hb.backlog.records, oldestAt: hb.backlog.oldestAt ?? null },
        };
        // The old presence comes from the locked row, so two servers cannot both announce the return.
        const { rows } = await tx.query<{ pk: number; user_id: string; name: string; presence: string; acked_seq: number; config_version: number }>(
          `UPDATE gateways g SET version = $2, last_seen_at = $3, presence = 'online', heartbeat = $4::jsonb, updated_at = $3
           FROM (SELECT pk, presence FROM gateways WHERE id = $1 FOR UPDATE) old
           WHERE g.pk = old.pk RETURNING g.pk, g.user_id, g.name, old.presence, g.acked_seq, g.config_version`,
          [id, hb.version, now, JSON.stringify(summary)],
        );
        const row = rows[0];
        if (row === undefined) throw new GatewayGoneError(id);
        if (hb.sensors.length > 0) {
          await tx.query(
            `INSERT INTO sensors (gateway_pk, local_id, kind, unit, name, health, last_reading_at, first_seen_at, updated_at)
             SELECT $1, t.id, t.kind, t.unit, t.name, t.health, t.last_reading_at, $2, $2
             FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) AS t(id, kind, unit, name, health, last_reading_at)
             ON CONFLICT (gateway_pk, local_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, health = EXCLUDED.health,
               unit = COALESCE(EXCLUDED.unit, sensors.unit), last_reading_at = COALESCE(EXCLUDED.last_reading_at, sensors.last_reading_at),
               updated_at = EXCLUDED.updated_at`,
            [
              row.pk,
              now,
              hb.sensors.map((s) => s.id),
              hb.sensors.map((s) => s.kind),
              hb.sensors.map((s) => s.unit ?? null),
              hb.sensors.map((s) => s.name),
              hb.sensors.map((s) => s.health),
              hb.sensors.map((s) => s.lastReadingAt ?? null),
            ],
          );
        }
        let cameOnline: PresenceChange | undefined;
        if (row.presence === 'offline') {
          const event = presenceEvent('device_online', row.name, now);
          await pgCloudEvent(tx, row.pk, event, now);
          cameOnline = { gatewayId: id, userId: row.user_id, presence: 'online', notifications: await pgNotify(tx, row.pk, [event], policy, now) };
        }
        return { ackedSeq: Number(row.acked_seq), configVersion: Number(row.config_version), ...(cameOnline === undefined ? {} : { cameOnline }) };
      });
    },
    async markOffline(seenBefore, now, policy) {
      return inTransaction(pool, async (tx) => {
        // The conditional UPDATE is the lock: with several servers sweeping, each gateway flips once.
        const { rows } = await tx.query<{ pk: number; id: string; user_id: string; name: string; last_seen_at: number }>(
          `UPDATE gateways SET presence = 'offline', updated_at = $2 WHERE presence = 'online' AND last_seen_at < $1
           RETURNING pk, id, user_id, name, last_seen_at`,
          [seenBefore, now],
        );
        const changes: PresenceChange[] = [];
        for (const g of rows) {
          const event = presenceEvent('device_offline', g.name, now, Number(g.last_seen_at));
          await pgCloudEvent(tx, g.pk, event, now);
          changes.push({ gatewayId: g.id, userId: g.user_id, presence: 'offline', notifications: await pgNotify(tx, g.pk, [event], policy, now) });
        }
        return changes;
      });
    },
    async status(userId, id) {
      const row = await owned(pool, id, userId);
      if (row === undefined) return undefined;
      const { rows } = await pool.query<SensorRow>(
        `SELECT ${SENSOR_COLUMNS} FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE s.gateway_pk = $1 ORDER BY s.local_id`,
        [row.pk],
      );
      return { gateway: gatewayFromRow(row), heartbeat: parseJson<HeartbeatSummary | null>(row.heartbeat, null), sensors: rows.map(sensorFromRow) };
    },
    async events(userId, id, options) {
      const row = await owned(pool, id, userId);
      if (row === undefined) return undefined;
      const { rows } = await pool.query<Record<string, unknown>>(
        `SELECT pk, seq, source, ts, type, sensor_local_id, state, severity, message, value, unit, clock_synced FROM events
         WHERE gateway_pk = $1 AND ($2::bigint IS NULL OR ts < $2) ORDER BY ts DESC, pk DESC LIMIT $3`,
        [row.pk, options.before ?? null, options.limit],
      );
      return rows.map((r) => eventFromRow(r, id));
    },
  };
}
