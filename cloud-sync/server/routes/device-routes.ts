/** /api/devices as the owner sees them: claim codes, list, rename, delete, status, events, credentials. */
import { Type } from 'typebox';
import { formatClaimCode } from '../../protocol/index.js';
import { currentUser } from '../auth/guards.js';
import { newClaimCode, newToken, sha256 } from '../auth/secrets.js';
import type { CloudApp, CloudContext } from '../context.js';
import { notFound } from '../errors.js';
import { fails, noContent, ok } from '../api/answers.js';
import { IdParams } from '../api/common.js';
import { ClaimCodeResponse, CredentialResponse, DeviceStatus, DeviceUpdateBody, DeviceView, EventView, EventsQuery } from '../api/device-schemas.js';
import { deviceView, eventView, statusView } from '../api/views.js';

export function deviceRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock, settings } = ctx;
  const view = (g: Parameters<typeof deviceView>[0]) => deviceView(g, clock.now(), settings.offlineAfterMs);

  app.post(
    '/api/devices/claim-codes',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'createClaimCode',
        tags: ['devices'],
        summary: 'A one-time code to claim a gateway (valid 15 minutes)',
        description: 'Type the code into the gateway (`easygas cloud register CODE`): it registers itself under your account with it, once, within 15 minutes.',
        response: { 201: ok(ClaimCodeResponse, 'A new claim code and when it expires.') },
      },
    },
    async (request, reply) => {
      const code = newClaimCode();
      const now = clock.now();
      const expiresAt = now + settings.claimCodeTtlMs;
      await repo.tokens.addClaimCode({ codeHash: sha256(code), userId: currentUser(request).id, expiresAt }, now);
      return reply.status(201).send({ code: formatClaimCode(code), expiresAt });
    },
  );

  app.get(
    '/api/devices',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'listDevices',
        tags: ['devices'],
        summary: 'Your gateways',
        description: 'Every gateway claimed by your account, with its presence as of now (a gateway silent past offlineAfterMs is offline at once).',
        response: { 200: ok(Type.Array(DeviceView), 'Your gateways, oldest first.') },
      },
    },
    async (request) => (await repo.gateways.list(currentUser(request).id)).map(view),
  );

  app.get(
    '/api/devices/:id',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'getDevice',
        tags: ['devices'],
        summary: 'One gateway',
        description: 'The gateway with its presence as of now: `presence` and `online` always agree.',
        params: IdParams,
        response: { 200: ok(DeviceView, 'The gateway.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const gateway = await repo.gateways.get(currentUser(request).id, request.params.id);
      if (gateway === undefined) throw notFound('device', request.params.id);
      return view(gateway);
    },
  );

  app.put(
    '/api/devices/:id',
    {
      onRequest: ctx.userAuth,
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
    async (request) => {
      const gateway = await repo.gateways.rename(currentUser(request).id, request.params.id, request.body.name, clock.now());
      if (gateway === undefined) throw notFound('device', request.params.id);
      return view(gateway);
    },
  );

  app.delete(
    '/api/devices/:id',
    {
      onRequest: ctx.userAuth,
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
      if (!(await repo.gateways.remove(currentUser(request).id, request.params.id))) throw notFound('device', request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/devices/:id/status',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'getDeviceStatus',
        tags: ['devices'],
        summary: 'Last seen, online or offline, reported backlog, version, sensor health',
        description: "What the gateway's last heartbeat reported (backlog, clock, uptime) and each sensor's health, with its presence as of now.",
        params: IdParams,
        response: { 200: ok(DeviceStatus, 'The status of the gateway.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const status = await repo.gateways.status(currentUser(request).id, request.params.id);
      if (status === undefined) throw notFound('device', request.params.id);
      return statusView(status, clock.now(), settings.offlineAfterMs);
    },
  );

  app.get(
    '/api/devices/:id/events',
    {
      onRequest: ctx.userAuth,
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
      const events = await repo.gateways.events(currentUser(request).id, request.params.id, {
        limit: request.query.limit ?? 100,
        ...(request.query.before === undefined ? {} : { before: request.query.before }),
      });
      if (events === undefined) throw notFound('device', request.params.id);
      return events.map(eventView);
    },
  );

  app.post(
    '/api/devices/:id/credential/rotate',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'rotateDeviceCredential',
        tags: ['devices'],
        summary: 'Issue a new gateway credential; the old one stops working',
        description: 'The new credential is shown once: put it on the gateway. The old one answers 401 from now on.',
        params: IdParams,
        response: { 200: ok(CredentialResponse, 'The new credential (shown once).'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const credential = newToken('egw');
      if (!(await repo.gateways.setCredential(currentUser(request).id, request.params.id, sha256(credential), clock.now()))) {
        throw notFound('device', request.params.id);
      }
      return { gatewayId: request.params.id, credential };
    },
  );

  app.post(
    '/api/devices/:id/credential/revoke',
    {
      onRequest: ctx.userAuth,
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
      if (!(await repo.gateways.setCredential(currentUser(request).id, request.params.id, null, clock.now()))) throw notFound('device', request.params.id);
      return reply.status(204).send();
    },
  );
}
