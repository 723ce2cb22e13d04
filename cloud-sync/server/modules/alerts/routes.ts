/** /api/alerts: rules on your sensors, delivered to the gateway by config version. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { AlertCreateBody, AlertListQuery, AlertUpdateBody, AlertView } from './schemas.js';
import { NotificationView } from '../notifications/schemas.js';
import { alertView, notificationView } from '../../api/views.js';
import { AlertsService } from './service.js';

const config = requirePermission('alerts:own');

/** Registered with the prefix /api/alerts. */
export const alertsModule = userScope((app: CloudApp) => {
  const { repo, clock, metrics } = app.cloud;
  const alerts = new AlertsService(repo, clock);

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'listAlertRules',
        tags: ['alerts'],
        summary: 'Your alert rules (optionally of one sensor)',
        description: "Every rule on your sensors; with sensorId, only that sensor's. Another account's sensor id answers 404, like an unknown one.",
        querystring: AlertListQuery,
        response: { 200: ok(Type.Array(AlertView), 'The rules, oldest first.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => (await alerts.list(currentActor(request), request.query.sensorId)).map(alertView),
  );

  app.post(
    '',
    {
      config,
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
    async (request, reply) => reply.status(201).send(alertView(await alerts.create(currentActor(request), request.body.sensorId, request.body))),
  );

  app.put(
    '/:id',
    {
      config,
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
    async (request) => alertView(await alerts.replace(currentActor(request), request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      config,
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
      await alerts.remove(currentActor(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/:id/test',
    {
      config,
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
      const notification = await alerts.test(currentActor(request), request.params.id);
      metrics.notifications.inc({ type: 'test' });
      return reply.status(201).send(notificationView(notification));
    },
  );
});
