/** /api/devices as the owner sees them: claim codes, list, rename, delete, status, events, credentials. */
import { Type } from 'typebox';
import { formatClaimCode } from '../../protocol/index.js';
import { currentUser } from '../auth/guards.js';
import { newClaimCode, newToken, sha256 } from '../auth/secrets.js';
import type { CloudApp, CloudContext } from '../context.js';
import { notFound } from '../errors.js';
import { Empty, IdParams, errors } from '../api/common.js';
import { ClaimCodeResponse, CredentialResponse, DeviceStatus, DeviceUpdateBody, DeviceView, EventView, EventsQuery } from '../api/device-schemas.js';
import { deviceView, eventView, statusView } from '../api/views.js';

const security = [{ user: [] }];

export function deviceRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock, settings } = ctx;
  const view = (g: Parameters<typeof deviceView>[0]) => deviceView(g, clock.now(), settings.offlineAfterMs);

  app.post(
    '/api/devices/claim-codes',
    {
      onRequest: ctx.userAuth,
      schema: {
        tags: ['devices'],
        summary: 'A one-time code to claim a gateway (valid 15 minutes)',
        security,
        response: { 201: ClaimCodeResponse, ...errors(401) },
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
    { onRequest: ctx.userAuth, schema: { tags: ['devices'], summary: 'Your gateways', security, response: { 200: Type.Array(DeviceView), ...errors(401) } } },
    async (request) => (await repo.gateways.list(currentUser(request).id)).map(view),
  );

  app.get(
    '/api/devices/:id',
    { onRequest: ctx.userAuth, schema: { tags: ['devices'], summary: 'One gateway', security, params: IdParams, response: { 200: DeviceView, ...errors(400, 401, 404) } } },
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
      schema: { tags: ['devices'], summary: 'Rename a gateway', security, params: IdParams, body: DeviceUpdateBody, response: { 200: DeviceView, ...errors(400, 401, 404) } },
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
        tags: ['devices'],
        summary: 'Delete a gateway with all its data; its credential stops working',
        security,
        params: IdParams,
        response: { 204: Empty, ...errors(400, 401, 404) },
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
        tags: ['devices'],
        summary: 'Last seen, online or offline, reported backlog, version, sensor health',
        security,
        params: IdParams,
        response: { 200: DeviceStatus, ...errors(400, 401, 404) },
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
        tags: ['devices'],
        summary: "The gateway's events (alarms, faults) and the cloud's (offline/online), newest first",
        security,
        params: IdParams,
        querystring: EventsQuery,
        response: { 200: Type.Array(EventView), ...errors(400, 401, 404) },
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
        tags: ['devices'],
        summary: 'Issue a new gateway credential; the old one stops working',
        security,
        params: IdParams,
        response: { 200: CredentialResponse, ...errors(400, 401, 404) },
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
        tags: ['devices'],
        summary: "Revoke the gateway's credential (a lost or sold Pi); its data stays",
        security,
        params: IdParams,
        response: { 204: Empty, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      if (!(await repo.gateways.setCredential(currentUser(request).id, request.params.id, null, clock.now()))) throw notFound('device', request.params.id);
      return reply.status(204).send();
    },
  );
}
