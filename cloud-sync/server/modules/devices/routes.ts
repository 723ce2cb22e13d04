/** /api/devices as the owner sees them: claim codes, list, rename, delete, status, events, credentials. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { ClaimCodeResponse, CredentialResponse, DeviceStatus, DeviceUpdateBody, DeviceView, EventView, EventsQuery } from './schemas.js';
import { deviceView, eventView, statusView } from '../../api/views.js';
import { DevicesService } from './service.js';

const config = requirePermission('devices:own');

/** Registered with the prefix /api/devices. */
export const devicesModule = userScope((app: CloudApp) => {
  const { repo, clock, settings } = app.cloud;
  const devices = new DevicesService(repo, clock, settings.claimCodeTtlMs);
  const view = (g: Parameters<typeof deviceView>[0]) => deviceView(g, clock.now(), settings.offlineAfterMs);

  app.post(
    '/claim-codes',
    {
      config,
      schema: {
        operationId: 'createClaimCode',
        tags: ['devices'],
        summary: 'A one-time code to claim a gateway (valid 15 minutes)',
        description: 'Type the code into the gateway (`easygas cloud register CODE`): it registers itself under your account with it, once, within 15 minutes.',
        response: { 201: ok(ClaimCodeResponse, 'A new claim code and when it expires.') },
      },
    },
    async (request, reply) => reply.status(201).send(await devices.createClaimCode(currentActor(request))),
  );

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'listDevices',
        tags: ['devices'],
        summary: 'Your gateways',
        description: 'Every gateway claimed by your account, with its presence as of now (a gateway silent past offlineAfterMs is offline at once).',
        response: { 200: ok(Type.Array(DeviceView), 'Your gateways, oldest first.') },
      },
    },
    async (request) => (await devices.list(currentActor(request))).map(view),
  );

  app.get(
    '/:id',
    {
      config,
      schema: {
        operationId: 'getDevice',
        tags: ['devices'],
        summary: 'One gateway',
        description: 'The gateway with its presence as of now: `presence` and `online` always agree.',
        params: IdParams,
        response: { 200: ok(DeviceView, 'The gateway.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => view(await devices.get(currentActor(request), request.params.id)),
  );

  app.put(
    '/:id',
    {
      config,
      schema: {
        operationId: 'renameDevice',
        tags: ['devices'],
        summary: 'Rename a gateway',
        description: 'Sets the name shown in the app and in notifications.',
        params: IdParams,
        body: DeviceUpdateBody,
        response: { 200: ok(DeviceView, 'The gateway as renamed.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => view(await devices.rename(currentActor(request), request.params.id, request.body.name)),
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        operationId: 'deleteDevice',
        tags: ['devices'],
        summary: 'Delete a gateway with all its data; its credential stops working',
        description: 'Removes the gateway, its sensors, readings, events and rules. Its next sync answers 401 EASYGAS_GATEWAY_CREDENTIAL_INVALID.',
        params: IdParams,
        response: { 204: noContent('The gateway and its data were deleted.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await devices.remove(currentActor(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/:id/status',
    {
      config,
      schema: {
        operationId: 'getDeviceStatus',
        tags: ['devices'],
        summary: 'Last seen, online or offline, reported backlog, version, sensor health',
        description: "What the gateway's last heartbeat reported (backlog, clock, uptime) and each sensor's health, with its presence as of now.",
        params: IdParams,
        response: { 200: ok(DeviceStatus, 'The status of the gateway.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => statusView(await devices.status(currentActor(request), request.params.id), clock.now(), settings.offlineAfterMs),
  );

  app.get(
    '/:id/events',
    {
      config,
      schema: {
        operationId: 'listDeviceEvents',
        tags: ['devices'],
        summary: "The gateway's events (alarms, faults) and the cloud's (offline/online), newest first",
        description: 'At most `limit` events (default 100, up to 500); `before` (epoch ms: the `at` of the last event of a page) pages to older ones.',
        params: IdParams,
        querystring: EventsQuery,
        response: { 200: ok(Type.Array(EventView), 'The events, newest first.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const events = await devices.events(currentActor(request), request.params.id, {
        limit: request.query.limit ?? 100,
        ...(request.query.before === undefined ? {} : { before: request.query.before }),
      });
      return events.map(eventView);
    },
  );

  app.post(
    '/:id/credential/rotate',
    {
      config,
      schema: {
        operationId: 'rotateDeviceCredential',
        tags: ['devices'],
        summary: 'Issue a new gateway credential; the old one stops working',
        description: 'The new credential is shown once: put it on the gateway. The old one answers 401 from now on.',
        params: IdParams,
        response: { 200: ok(CredentialResponse, 'The new credential (shown once).'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => ({ gatewayId: request.params.id, credential: await devices.rotateCredential(currentActor(request), request.params.id) }),
  );

  app.post(
    '/:id/credential/revoke',
    {
      config,
      schema: {
        operationId: 'revokeDeviceCredential',
        tags: ['devices'],
        summary: "Revoke the gateway's credential (a lost or sold Pi); its data stays",
        description: 'The gateway can no longer sync until it is given a rotated credential; its readings, events and rules stay.',
        params: IdParams,
        response: { 204: noContent('The credential was revoked.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await devices.revokeCredential(currentActor(request), request.params.id);
      return reply.status(204).send();
    },
  );
});
