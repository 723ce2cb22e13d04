/**
 * Notifications on PostgreSQL, and the helpers ingest and presence share: the
 * policy's context, and storing an event's notifications in the event's transaction.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { AlertRuleType } from '../../../protocol/index.js';
import type { NotificationRepository } from '../repository.js';
import { parseChannels, parsePreferences } from '../rows.js';
import { NOTIFICATION_SELECT, notificationFromRow, type NotificationRow } from '../row-mappers.js';
import type { Notification, NotificationDraft, NotificationPolicy, PolicyContext, PolicyEvent } from '../types.js';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

async function insertDraft(db: Queryable, userId: string, gatewayPk: number | null, draft: NotificationDraft, now: number): Promise<Notification> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO notifications (id, user_id, gateway_pk, sensor_local_id, rule_id, type, severity, title, message, channels, event_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)`,
    [id, userId, gatewayPk, draft.sensorId, draft.ruleId, draft.type, draft.severity, draft.title, draft.message, JSON.stringify(draft.channels), draft.eventAt, now],
  );
  const { rows } = await db.query<NotificationRow>(`${NOTIFICATION_SELECT} WHERE n.id = $1`, [id]);
  return notificationFromRow(rows[0] as NotificationRow);
}

export async function pgPolicyContext(db: Queryable, gatewayPk: number): Promise<PolicyContext> {
  const { rows: gateways } = await db.query<{ id: string; name: string; user_id: string; preferences: unknown }>(
    'SELECT g.id, g.name, g.user_id, u.preferences FROM gateways g JOIN users u ON u.id = g.user_id WHERE g.pk = $1',
    [gatewayPk],
  );
  const gateway = gateways[0];
  if (gateway === undefined) throw new Error(`gateway ${gatewayPk} vanished`);
  const { rows: rules } = await db.query<{ id: string; local_id: string; type: string; enabled: boolean; notify: unknown }>(
    'SELECT r.id, s.local_id, r.type, r.enabled, r.notify FROM alert_rules r JOIN sensors s ON s.pk = r.sensor_pk WHERE r.gateway_pk = $1',
    [gatewayPk],
  );
  const { rows: names } = await db.query<{ local_id: string; name: string }>(
    'SELECT local_id, name FROM sensors WHERE gateway_pk = $1 AND name IS NOT NULL',
    [gatewayPk],
  );
  return {
    userId: gateway.user_id,
    preferences: parsePreferences(gateway.preferences),
    gateway: { id: gateway.id, name: gateway.name },
    rules: rules.map((r) => ({ id: r.id, sensorId: r.local_id, type: r.type as AlertRuleType, enabled: r.enabled, notify: parseChannels(r.notify) })),
    sensorNames: new Map(names.map((n) => [n.local_id, n.name])),
  };
}

export async function pgNotify(db: Queryable, gatewayPk: number, events: readonly PolicyEvent[], policy: NotificationPolicy, now: number): Promise<Notification[]> {
  if (events.length === 0) return [];
  const context = await pgPolicyContext(db, gatewayPk);
  const created: Notification[] = [];
  for (const event of events) {
    const draft = policy(event, context);
    if (draft !== undefined) created.push(await insertDraft(db, context.userId, gatewayPk, draft, now));
  }
  return created;
}

export async function pgCloudEvent(db: Queryable, gatewayPk: number, event: PolicyEvent, now: number): Promise<void> {
  await db.query(
    `INSERT INTO events (gateway_pk, seq, source, ts, type, sensor_local_id, state, severity, severe, message, clock_synced, received_at)
     VALUES ($1, NULL, 'cloud', $2, $3, NULL, $4, $5, FALSE, $6, TRUE, $7)`,
    [gatewayPk, event.at, event.type, event.state ?? null, event.severity, event.message, now],
  );
}

export function pgNotifications(pool: pg.Pool): NotificationRepository {
  return {
    async list(userId, options) {
      const { rows } = await pool.query<NotificationRow>(
        `${NOTIFICATION_SELECT} WHERE n.user_id = $1 AND ($2::bigint IS NULL OR n.created_at < $2) AND (NOT $3::boolean OR n.read_at IS NULL)
         ORDER BY n.created_at DESC, n.pk DESC LIMIT $4`,
        [userId, options.before ?? null, options.unreadOnly === true, options.limit],
      );
      return rows.map(notificationFromRow);
    },
    async create(userId, gatewayId, draft, now) {
      let pk: number | null = null;
      if (gatewayId !== null) {
        const { rows } = await pool.query<{ pk: number }>('SELECT pk FROM gateways WHERE id = $1 AND user_id = $2', [gatewayId, userId]);
        pk = rows[0]?.pk ?? null;
      }
      return insertDraft(pool, userId, pk, draft, now);
    },
    async markRead(userId, id, now) {
      await pool.query('UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2', [id, userId, now]);
      const { rows } = await pool.query<NotificationRow>(`${NOTIFICATION_SELECT} WHERE n.id = $1 AND n.user_id = $2`, [id, userId]);
      return rows[0] === undefined ? undefined : notificationFromRow(rows[0]);
    },
    async markAllRead(userId, now) {
      const { rowCount } = await pool.query('UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL', [userId, now]);
      return rowCount ?? 0;
    },
  };
}
