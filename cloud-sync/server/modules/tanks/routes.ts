/** /api/tanks: your tanks, their levels (sensor and manual), linked sensor and auto-order settings. */
import { Type, type Static } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import type { Tank } from '../../storage/order-types.js';
import { CurrentLevelView, LevelsQuery, ManualLevelBody, TankCreateBody, TankLevelView, TankPatchBody, TankView } from './schemas.js';
import { TanksService } from './service.js';

const config = requirePermission('tanks:own');

export function tankView(tank: Tank): Static<typeof TankView> {
  const { userId: _owner, ...view } = tank;
  return { ...view, address: { ...tank.address } };
}

/** Registered with the prefix /api/tanks. */
export const tanksModule = userScope((app: CloudApp) => {
  const tanks = new TanksService(app.cloud.repo, app.cloud.clock);
  const tags = ['tanks'];

  app.get('', { config, schema: { operationId: 'listTanks', tags, summary: 'Your tanks', description: 'Every tank of your account with its thresholds, auto-order settings, linked sensor and delivery address.', response: { 200: ok(Type.Array(TankView), 'Your tanks, oldest first.') } } }, async (request) =>
    (await tanks.list(currentActor(request))).map(tankView),
  );

  app.post(
    '',
    {
      config,
      schema: {
        operationId: 'createTank',
        tags,
        summary: 'Add a tank',
        description: 'A tank with its product, capacity, thresholds, delivery address and, optionally, the level sensor that watches it and a preferred supplier (required for auto-order).',
        body: TankCreateBody,
        response: { 201: ok(TankView, 'The tank was created.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_NOT_A_LEVEL_SENSOR') },
      },
    },
    async (request, reply) => reply.status(201).send(tankView(await tanks.create(currentActor(request), request.body))),
  );

  app.get(
    '/:id',
    { config, schema: { operationId: 'getTank', tags, summary: 'One tank', description: "The tank by id; another account's tank answers 404, like an unknown one.", params: IdParams, response: { 200: ok(TankView, 'The tank.'), ...fails('EASYGAS_NOT_FOUND') } } },
    async (request) => tankView(await tanks.get(currentActor(request), request.params.id)),
  );

  app.patch(
    '/:id',
    {
      config,
      schema: {
        operationId: 'updateTank',
        tags,
        summary: 'Change a tank (the fields sent)', description: 'Fields left out keep their value; the result is checked as a whole (auto-order needs a preferred supplier that delivers the product).',
        params: IdParams,
        body: TankPatchBody,
        response: { 200: ok(TankView, 'The tank as changed.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_NOT_A_LEVEL_SENSOR') },
      },
    },
    async (request) => tankView(await tanks.update(currentActor(request), request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        operationId: 'deleteTank',
        tags,
        summary: 'Delete a tank and its manual levels',
        description: 'Refused while the tank has an open order; its past orders are kept.',
        params: IdParams,
        response: { 204: noContent('The tank was deleted.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_TANK_HAS_OPEN_ORDER') },
      },
    },
    async (request, reply) => {
      await tanks.remove(currentActor(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/:id/levels',
    {
      config,
      schema: {
        operationId: 'listTankLevels',
        tags,
        summary: "The tank's level history",
        description: "Hourly levels of the linked sensor (`source: sensor`) and levels entered by hand (`manual`) or estimated, oldest first; from/to in epoch ms (default: the last 30 days).",
        params: IdParams,
        querystring: LevelsQuery,
        response: { 200: ok(Type.Array(TankLevelView), 'The levels, oldest first.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_RANGE_INVALID') },
      },
    },
    async (request) => tanks.levels(currentActor(request), request.params.id, request.query),
  );

  app.get(
    '/:id/levels/current',
    {
      config,
      schema: {
        operationId: 'getCurrentTankLevel',
        tags,
        summary: "The tank's level now",
        description: "The newest of the sensor's latest reading and the last manual level; null when neither exists.",
        params: IdParams,
        response: { 200: ok(CurrentLevelView, 'The newest level known.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => ({ level: await tanks.current(currentActor(request), request.params.id) }),
  );

  app.post(
    '/:id/levels',
    {
      config,
      schema: {
        operationId: 'addManualTankLevel',
        tags,
        summary: 'Record a level read by hand (the dial on the cylinder)', description: 'For a tank without a sensor (or to correct one): stored with `source: manual`; litres follow from the capacity.',
        params: IdParams,
        body: ManualLevelBody,
        response: { 201: ok(TankLevelView, 'The level was stored.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request, reply) => reply.status(201).send(await tanks.addManualLevel(currentActor(request), request.params.id, request.body)),
  );
});
