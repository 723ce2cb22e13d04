/** /api/alerts: rules on your sensors, delivered to the gateway by config version. */
import { randomUUID } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { checkRuleParams, describeIssues, ruleFitsSensor, type AlertRuleType } from '../../protocol/index.js';
import { currentUser } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { apiError, notFound } from '../errors.js';
import { fails, noContent, ok } from '../api/answers.js';
import { IdParams } from '../api/common.js';
import { AlertCreateBody, AlertListQuery, AlertUpdateBody, AlertView } from '../api/alert-schemas.js';
import { NotificationView } from '../api/sensor-schemas.js';
import { alertView, notificationView } from '../api/views.js';
import { testNotification } from '../services/notification-policy.js';
import type { RuleDraft, Sensor } from '../storage/types.js';

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
      schema: {
        operationId: 'listAlertRules',
        tags: ['alerts'],
        summary: 'Your alert rules (optionally of one sensor)',
        description: "Every rule on your sensors; with sensorId, only that sensor's. Another account's sensor id answers 404, like an unknown one.",
        querystring: AlertListQuery,
        response: { 200: ok(Type.Array(AlertView), 'The rules, oldest first.'), ...fails('EASYGAS_NOT_FOUND') },
      },
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
        operationId: 'createAlertRule',
        tags: ['alerts'],
        summary: 'Add a rule on one sensor; the gateway gets it with its next config pull',
        description:
          'The rule type must fit the sensor (low_level and sudden_drop on level sensors, gas on gas sensors, device_offline on any). ' +
          "The gateway's config version goes up, so its next pull (If-None-Match) fetches the rule.",
        body: AlertCreateBody,
        response: {
          201: ok(AlertView, 'The rule was created.'),
          ...fails('EASYGAS_RULE_SENSOR_MISMATCH', 'EASYGAS_NOT_FOUND'),
        },
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
        operationId: 'replaceAlertRule',
        tags: ['alerts'],
        summary: 'Replace a rule (type, params, name, enabled, notify)',
        description: 'Replaces the whole rule on the same sensor: a field left out takes its default (enabled true, notify email and push, no name).',
        params: IdParams,
        body: AlertUpdateBody,
        response: { 200: ok(AlertView, 'The rule as replaced.'), ...fails('EASYGAS_RULE_SENSOR_MISMATCH', 'EASYGAS_NOT_FOUND') },
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
      schema: {
        operationId: 'deleteAlertRule',
        tags: ['alerts'],
        summary: 'Delete a rule',
        description: "Deletes the rule; the gateway drops it with its next config pull. Its past notifications stay.",
        params: IdParams,
        response: { 204: noContent('The rule was deleted.'), ...fails('EASYGAS_NOT_FOUND') },
      },
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
        operationId: 'testAlertRule',
        tags: ['alerts'],
        summary: "Send a test notification through the rule's channels",
        description: "Creates a notification of type test on the rule's channels and hands it to delivery, so you can see it arrive.",
        params: IdParams,
        response: { 201: ok(NotificationView, 'The test notification, as stored and sent.'), ...fails('EASYGAS_NOT_FOUND') },
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
      return reply.status(201).send(notificationView(notification));
    },
  );
}
