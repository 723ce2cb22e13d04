/** Gateways: provisioning, credentials, heartbeats and presence, status, events — on SQLite. */
import type { Database } from 'better-sqlite3';
import { asyncOf, type SyncOf } from './sync-adapter.js';
import { GatewayGoneError, type GatewayRepository, type PresenceChange } from '../repository.js';
import { parseJson } from '../rows.js';
import type { HeartbeatSummary } from '../types.js';
import { eventFromRow, GATEWAY_COLUMNS, gatewayFromRow, SENSOR_COLUMNS, sensorFromRow, type GatewayRow, type SensorRow } from '../row-mappers.js';
import { presenceEvent } from '../presence-events.js';
import { sqliteCloudEvent, sqliteNotify } from './sqlite-notifications.js';

export function sqliteGateways(db: Database): GatewayRepository {
  const owned = db.prepare<[string, string], GatewayRow>(`SELECT ${GATEWAY_COLUMNS} FROM gateways g WHERE g.id = ? AND g.user_id = ?`);

  const register = db.transaction((codeHash: string, gw: { id: string; name: string; version: string | null; credentialHash: string }, now: number) => {
    const claimed = db
      .prepare('UPDATE claim_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id')
      .get(now, codeHash, now) as { user_id: string } | undefined;
    if (claimed === undefined) return undefined;
    db.prepare(
      'INSERT INTO gateways (id, user_id, name, version, credential_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(gw.id, claimed.user_id, gw.name, gw.version, gw.credentialHash, now, now);
    return gatewayFromRow(owned.get(gw.id, claimed.user_id) as GatewayRow);
  });

  const heartbeat = db.transaction((id: string, hb: Parameters<GatewayRepository['heartbeat']>[1], now: number, policy: Parameters<GatewayRepository['heartbeat']>[3]) => {
    const row = db.prepare('SELECT pk, user_id, name, presence, acked_seq, config_version FROM gateways WHERE id = ?').get(id) as
      | { pk: number; user_id: string; name: string; presence: string; acked_seq: number; config_version: number }
      | undefined;
    if (row === undefined) throw new GatewayGoneError(id);
    const summary: HeartbeatSummary = {
      receivedAt: now,
      version: hb.version,
      uptimeSeconds: hb.uptimeSeconds,
      clockSynced: hb.clock.synced,
      backlog: { records: hb.backlog.records, oldestAt: hb.backlog.oldestAt ?? null },
    };
    db.prepare("UPDATE gateways SET version = ?, last_seen_at = ?, presence = 'online', heartbeat = ?, updated_at = ? WHERE pk = ?").run(
      hb.version,
      now,
      JSON.stringify(summary),
      now,
      row.pk,
    );
    const upsert = db.prepare(
      `INSERT INTO sensors (gateway_pk, local_id, kind, unit, name, health, last_reading_at, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (gateway_pk, local_id) DO UPDATE SET kind = excluded.kind, name = excluded.name, health = excluded.health,
         unit = COALESCE(excluded.unit, sensors.unit), last_reading_at = COALESCE(excluded.last_reading_at, sensors.last_reading_at),
         updated_at = excluded.updated_at`,
    );
    for (const s of hb.sensors) upsert.run(row.pk, s.id, s.kind, s.unit ?? null, s.name, s.health, s.lastReadingAt ?? null, now, now);
    let cameOnline: PresenceChange | undefined;
    if (row.presence === 'offline') {
      const event = presenceEvent('device_online', row.name, now);
      sqliteCloudEvent(db, row.pk, event, now);
      cameOnline = { gatewayId: id, userId: row.user_id, presence: 'online', notifications: sqliteNotify(db, row.pk, [event], policy, now) };
    }
    return { ackedSeq: Number(row.acked_seq), configVersion: Number(row.config_version), ...(cameOnline === undefined ? {} : { cameOnline }) };
  });

  const markOffline = db.transaction((seenBefore: number, now: number, policy: Parameters<GatewayRepository['markOffline']>[2]) => {
    const stale = db
      .prepare("SELECT pk, id, user_id, name, last_seen_at FROM gateways WHERE presence = 'online' AND last_seen_at < ?")
      .all(seenBefore) as { pk: number; id: string; user_id: string; name: string; last_seen_at: number }[];
    const changes: PresenceChange[] = [];
    for (const g of stale) {
      const flipped = db.prepare("UPDATE gateways SET presence = 'offline', updated_at = ? WHERE pk = ? AND presence = 'online'").run(now, g.pk);
      if (flipped.changes === 0) continue;
      const event = presenceEvent('device_offline', g.name, now, g.last_seen_at);
      sqliteCloudEvent(db, g.pk, event, now);
      changes.push({ gatewayId: g.id, userId: g.user_id, presence: 'offline', notifications: sqliteNotify(db, g.pk, [event], policy, now) });
    }
    return changes;
  });

  const sync: SyncOf<GatewayRepository> = {
    registerWithClaimCode(codeHash, gateway, now) {
      return register(codeHash, gateway, now);
    },
    list(userId) {
      const rows = db.prepare(`SELECT ${GATEWAY_COLUMNS} FROM gateways g WHERE g.user_id = ? ORDER BY g.created_at, g.pk`).all(userId) as GatewayRow[];
      return rows.map(gatewayFromRow);
    },
    get(userId, id) {
      const row = owned.get(id, userId);
      return row === undefined ? undefined : gatewayFromRow(row);
    },
    rename(userId, id, name, now) {
      db.prepare('UPDATE gateways SET name = ?, updated_at = ? WHERE id = ? AND user_id = ?').run(name, now, id, userId);
      const row = owned.get(id, userId);
      return row === undefined ? undefined : gatewayFromRow(row);
    },
    remove(userId, id) {
      return db.prepare('DELETE FROM gateways WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
    },
    byCredential(hash) {
      const row = db.prepare('SELECT id, user_id FROM gateways WHERE credential_hash = ?').get(hash) as { id: string; user_id: string } | undefined;
      return row === undefined ? undefined : { id: row.id, userId: row.user_id };
    },
    setCredential(userId, id, hash, now) {
      return db.prepare('UPDATE gateways SET credential_hash = ?, updated_at = ? WHERE id = ? AND user_id = ?').run(hash, now, id, userId).changes > 0;
    },
    heartbeat(id, hb, now, policy) {
      return heartbeat(id, hb, now, policy);
    },
    markOffline(seenBefore, now, policy) {
      return markOffline(seenBefore, now, policy);
    },
    status(userId, id) {
      const row = owned.get(id, userId);
      if (row === undefined) return undefined;
      const sensors = db
        .prepare(`SELECT ${SENSOR_COLUMNS} FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE s.gateway_pk = ? ORDER BY s.local_id`)
        .all(row.pk) as SensorRow[];
      return {
        gateway: gatewayFromRow(row),
        heartbeat: parseJson<HeartbeatSummary | null>(row.heartbeat, null),
        sensors: sensors.map(sensorFromRow),
      };
    },
    events(userId, id, options) {
      const row = owned.get(id, userId);
      if (row === undefined) return undefined;
      const rows = db
        .prepare(
          `SELECT pk, seq, source, ts, type, sensor_local_id, state, severity, message, value, unit, clock_synced FROM events
           WHERE gateway_pk = ? AND (? IS NULL OR ts < ?) ORDER BY ts DESC, pk DESC LIMIT ?`,
        )
        .all(row.pk, options.before ?? null, options.before ?? null, options.limit) as Record<string, unknown>[];
      return rows.map((r) => eventFromRow(r, id));
    },
  };
  return asyncOf(sync);
}
