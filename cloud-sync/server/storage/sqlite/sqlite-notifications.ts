/**
 * Notifications on SQLite, and the two helpers ingest and presence share: loading
 * what the notification policy needs, and storing an event's notifications in the
 * same transaction as the event (so a resent event never notifies twice).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { asyncOf, type SyncOf } from './sync-adapter.js';
import type { AlertRuleType } from '../../../protocol/index.js';
import type { NotificationRepository } from '../repository.js';
import { parseChannels, parsePreferences } from '../rows.js';
import { NOTIFICATION_SELECT, notificationFromRow, type NotificationRow } from '../row-mappers.js';
import type { Notification, NotificationDraft, NotificationPolicy, PolicyContext, PolicyEvent } from '../types.js';

function insertDraft(db: Database, userId: string, gatewayPk: number | null, draft: NotificationDraft, now: number): Notification {
  const id = randomUUID();
  db.prepare(
    `INSERT INTO notifications (id, user_id, gateway_pk, sensor_local_id, rule_id, type, severity, title, message, channels, event_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, userId, gatewayPk, draft.sensorId, draft.ruleId, draft.type, draft.severity, draft.title, draft.message, JSON.stringify(draft.channels), draft.eventAt, now);
  return notificationFromRow(db.prepare<[string], NotificationRow>(`${NOTIFICATION_SELECT} WHERE n.id = ?`).get(id) as NotificationRow);
}

/** What the policy needs about a gateway's owner, rules and sensor names. */
export function sqlitePolicyContext(db: Database, gatewayPk: number): PolicyContext {
  const gateway = db
    .prepare('SELECT g.id, g.name, g.user_id, u.preferences FROM gateways g JOIN users u ON u.id = g.user_id WHERE g.pk = ?')
    .get(gatewayPk) as { id: string; name: string; user_id: string; preferences: string };
  const rules = db
    .prepare(
      `SELECT r.id, s.local_id, r.type, r.enabled, r.notify FROM alert_rules r JOIN sensors s ON s.pk = r.sensor_pk WHERE r.gateway_pk = ?`,
    )
    .all(gatewayPk) as { id: string; local_id: string; type: string; enabled: number; notify: string }[];
  const names = db.prepare('SELECT local_id, name FROM sensors WHERE gateway_pk = ? AND name IS NOT NULL').all(gatewayPk) as {
    local_id: string;
    name: string;
  }[];
  return {
    userId: gateway.user_id,
    preferences: parsePreferences(gateway.preferences),
    gateway: { id: gateway.id, name: gateway.name },
    rules: rules.map((r) => ({ id: r.id, sensorId: r.local_id, type: r.type as AlertRuleType, enabled: r.enabled === 1, notify: parseChannels(r.notify) })),
    sensorNames: new Map(names.map((n) => [n.local_id, n.name])),
  };
}

/** Runs the policy over new events and stores what it decides; call inside the event's transaction. */
export function sqliteNotify(
  db: Database,
  gatewayPk: number,
  events: readonly PolicyEvent[],
  policy: NotificationPolicy,
  now: number,
): Notification[] {
  if (events.length === 0) return [];
  const context = sqlitePolicyContext(db, gatewayPk);
  const created: Notification[] = [];
  for (const event of events) {
    const draft = policy(event, context);
    if (draft !== undefined) created.push(insertDraft(db, context.userId, gatewayPk, draft, now));
  }
  return created;
}

/** An event the cloud raised itself (device_offline / device_online). */
export function sqliteCloudEvent(db: Database, gatewayPk: number, event: PolicyEvent, now: number): void {
  db.prepare(
    `INSERT INTO events (gateway_pk, seq, source, ts, type, sensor_local_id, state, severity, severe, message, clock_synced, received_at)
     VALUES (?, NULL, 'cloud', ?, ?, NULL, ?, ?, 0, ?, 1, ?)`,
  ).run(gatewayPk, event.at, event.type, event.state ?? null, event.severity, event.message, now);
}

export function sqliteNotifications(db: Database): NotificationRepository {
  const sync: SyncOf<NotificationRepository> = {
    list(userId, options) {
      const rows = db
        .prepare(
          `${NOTIFICATION_SELECT} WHERE n.user_id = ? AND (? IS NULL OR n.created_at < ?) AND (? = 0 OR n.read_at IS NULL)
           ORDER BY n.created_at DESC, n.pk DESC LIMIT ?`,
        )
        .all(userId, options.before ?? null, options.before ?? null, options.unreadOnly === true ? 1 : 0, options.limit) as NotificationRow[];
      return rows.map(notificationFromRow);
    },
    create(userId, gatewayId, draft, now) {
      const pk =
        gatewayId === null
          ? null
          : ((db.prepare('SELECT pk FROM gateways WHERE id = ? AND user_id = ?').get(gatewayId, userId) as { pk: number } | undefined)?.pk ?? null);
      return insertDraft(db, userId, pk, draft, now);
    },
    markRead(userId, id, now) {
      db.prepare('UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?').run(now, id, userId);
      const row = db.prepare<[string, string], NotificationRow>(`${NOTIFICATION_SELECT} WHERE n.id = ? AND n.user_id = ?`).get(id, userId);
      return row === undefined ? undefined : notificationFromRow(row);
    },
    markAllRead(userId, now) {
      return db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, userId).changes;
    },
  };
  return asyncOf(sync);
}
