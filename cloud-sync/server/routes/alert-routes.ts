/** /api/alerts: rules on your sensors, delivered to the gateway by config version. */
import { randomUUID } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { checkRuleParams, describeIssues, ruleFitsSensor, type AlertRuleType } from '../../protocol/index.js';
import { currentUser } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { apiError, notFound } from '../errors.js';
import { Empty, IdParams, errors } from '../api/common.js';
import { AlertCreateBody, AlertListQuery, AlertUpdateBody, AlertView } from '../api/alert-schemas.js';
import { NotificationView } from '../api/sensor-schemas.js';
import { alertView, notificationView } from '../api/views.js';
import { testNotification } from '../services/notification-policy.js';
import { deliverAll } from '../services/notifier.js';
import type { RuleDraft, Sensor } from '../storage/types.js';

const security = [{ user: [] }];

const MISMATCH_HINT: Readonly<Record<AlertRuleType, string>> = {
  low_level: 'low_level and sudden_drop rules watch level sensors',
  sudden_drop: 'low_level and sudden_drop rules watch level sensors',
  gas: 'gas rules watch gas sensors',
  device_offline: 'device_offline rules fit any sensor',
};

type RuleInput = Static<typeof AlertUpdateBody>;

/** PUT replaces the whole rule: what is omitted takes its default. */
function draftOf(body: RuleInput, sensor: Sensor): RuleDraft {
  if (!ruleFitsSensor(body.type, sensor.kind)) {
    throw apiError('EASYGAS_RULE_SENSOR_MISMATCH', { type: body.type, kind: sensor.kind, hint: MISMATCH_HINT[body.type] });
  }
  const issues = checkRuleParams(body);
  if (issues.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${describeIssues(issues)}` }, { issues });
  return { type: body.type, params: body.params, name: body.name ?? null, enabled: body.enabled ?? true, notify: body.notify ?? ['email', 'push'] };
}

export function alertRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock } = ctx;

  app.get(
    '/api/alerts',
    {
      onRequest: ctx.userAuth,
      schema: { tags: ['alerts'], summary: 'Your alert rules (optionally of one sensor)', security, querystring: AlertListQuery, response: { 200: Type.Array(AlertView), ...errors(400, 401) } },
    },
    async (request) => {
      const userId = currentUser(request).id;
      const sensorId = request.query.sensorId;
      // Filtering by someone else's sensor is a 404 like any other foreign id, not an empty list.
      if (sensorId !== undefined && (await repo.readings.sensor(userId, sensorId)) === undefined) throw notFound('sensor', sensorId);
      return (await repo.alerts.list(userId, sensorId)).map(alertView);
    },
  );

  app.post(
    '/api/alerts',
    {
      onRequest: ctx.userAuth,
      schema: {
        tags: ['alerts'],
        summary: 'Add a rule on one sensor; the gateway gets it with its next config pull',
        security,
        body: AlertCreateBody,
        response: { 201: AlertView, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const userId = currentUser(request).id;
      const sensor = await repo.readings.sensor(userId, request.body.sensorId);
      if (sensor === undefined) throw notFound('sensor', request.body.sensorId);
      const rule = await repo.alerts.create(userId, sensor, randomUUID(), draftOf(request.body, sensor), clock.now());
      return reply.status(201).send(alertView(rule));
    },
  );

  app.put(
    '/api/alerts/:id',
    {
      onRequest: ctx.userAuth,
      schema: {
        tags: ['alerts'],
        summary: 'Replace a rule (type, params, name, enabled, notify)',
        security,
        params: IdParams,
        body: AlertUpdateBody,
        response: { 200: AlertView, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const userId = currentUser(request).id;
      const current = await repo.alerts.get(userId, request.params.id);
      const sensor = current === undefined ? undefined : await repo.readings.sensor(userId, current.sensorId);
      if (current === undefined || sensor === undefined) throw notFound('alert', request.params.id);
      const updated = await repo.alerts.update(userId, current.id, draftOf(request.body, sensor), clock.now());
      if (updated === undefined) throw notFound('alert', request.params.id);
      return alertView(updated);
    },
  );

  app.delete(
    '/api/alerts/:id',
    {
      onRequest: ctx.userAuth,
      schema: { tags: ['alerts'], summary: 'Delete a rule', security, params: IdParams, response: { 204: Empty, ...errors(400, 401, 404) } },
    },
    async (request, reply) => {
      if (!(await repo.alerts.remove(currentUser(request).id, request.params.id, clock.now()))) throw notFound('alert', request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/alerts/:id/test',
    {
      onRequest: ctx.userAuth,
      schema: {
        tags: ['alerts'],
        summary: "Send a test notification through the rule's channels",
        security,
        params: IdParams,
        response: { 201: NotificationView, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const userId = currentUser(request).id;
      const rule = await repo.alerts.get(userId, request.params.id);
      const sensor = rule === undefined ? undefined : await repo.readings.sensor(userId, rule.sensorId);
      if (rule === undefined || sensor === undefined) throw notFound('alert', request.params.id);
      const now = clock.now();
      const notification = await repo.notifications.create(userId, rule.gatewayId, testNotification(rule, sensor.name ?? sensor.sensorId, sensor.sensorId, now), now);
      ctx.metrics.notifications.inc({ type: 'test' });
      deliverAll(ctx.notifier, [notification], request.log);
      return reply.status(201).send(notificationView(notification));
    },
  );
}
