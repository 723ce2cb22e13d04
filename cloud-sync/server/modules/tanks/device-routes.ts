/**
 * Tank level devices without a gateway: the owner's POST /api/tanks/:id/device-credential
 * (user scope) and the device's POST /api/iot/water-level, a public route whose
 * handler checks the device's own bearer token (not a user's, not a gateway's).
 */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { perBearer } from '../../routes/rate-limits.js';
import { bearerToken, DeviceLevels } from './device-levels.js';
import { TankLevelView } from './schemas.js';

const Distance = Type.Number({ minimum: 0, maximum: 100_000, description: 'Millimetres from the sensor (at the top) to the surface.' });

const CredentialBody = Type.Object(
  { emptyDistanceMm: Type.Optional(Distance), fullDistanceMm: Type.Optional(Distance) },
  { additionalProperties: false, description: 'For a device that reports a distance: the distances when the tank is empty and full (both or neither).' },
);
const CredentialView = Type.Object({ tankId: Type.String(), token: Type.String({ description: 'The device’s bearer token: shown once, stored hashed.' }) }, { title: 'TankDeviceCredential' });

const WaterLevelBody = Type.Object(
  {
    readingId: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', errorMessage: 'must be 1–64 of A-Z a-z 0-9 . _ : -', description: 'The device’s own id of this reading: a retry with the same id stores nothing new.' }),
    at: Type.Integer({ minimum: 0, description: 'When it was measured (UTC epoch ms); at most 2 minutes ahead of the cloud.' }),
    percent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    distanceMm: Type.Optional(Distance),
  },
  { additionalProperties: false },
);
const WaterLevelView = Type.Object({ tankId: Type.String(), readingId: Type.String(), level: TankLevelView }, { title: 'DeviceLevelStored' });

/** Registered with the prefix /api/tanks. */
export const tankDeviceCredentialModule = userScope((app: CloudApp) => {
  const devices = new DeviceLevels(app.cloud.repo, app.cloud.clock);
  app.post(
    '/:id/device-credential',
    {
      config: requirePermission('tanks:own'),
      schema: {
        operationId: 'issueTankDeviceCredential',
        tags: ['tanks'],
        summary: 'A token for an HTTP level device on this tank (shown once)',
        description: 'The device sends it as `Authorization: Bearer <token>` to POST /api/iot/water-level. Issuing again replaces the previous token.',
        params: IdParams,
        body: CredentialBody,
        response: { 201: ok(CredentialView, 'The token; keep it, it is not shown again.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request, reply) => reply.status(201).send(await devices.issueCredential(currentActor(request), request.params.id, request.body)),
  );
});

/** Registered with the prefix /api/iot. */
export function iotModule(app: CloudApp): Promise<void> {
  const devices = new DeviceLevels(app.cloud.repo, app.cloud.clock);
  app.post(
    '/water-level',
    {
      config: { rateLimit: perBearer(app.cloud.settings.ingestRateLimit) },
      schema: {
        operationId: 'reportWaterLevel',
        tags: ['tanks'],
        summary: 'A tank level from an HTTP-only device',
        description:
          'Authenticated by the tank’s device token (`Authorization: Bearer <token>`, from POST /api/tanks/{id}/device-credential). Send `percent` (0–100) or `distanceMm` (when the token was issued with the tank geometry). ' +
          'Stored as a tank level with source `device`; a retry with the same `readingId` stores nothing and answers the same. Rate limited per token.',
        body: WaterLevelBody,
        response: { 200: ok(WaterLevelView, 'Stored (or already stored under this reading id).'), ...fails('EASYGAS_TANK_DEVICE_CREDENTIAL_INVALID') },
      },
    },
    async (request) => devices.report(bearerToken(request.headers.authorization), request.body),
  );
  return Promise.resolve();
}
