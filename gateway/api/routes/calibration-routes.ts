/**
 * A sensor's calibration: what runs now (config file or an on-site override), a
 * new one measured by `easygas calibrate` (validated by the config's own schema,
 * persisted in sensor-overrides.json, applied live), and back to the file's.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiError, type ControlApiContext } from '../control-api.js';
import { idParams } from '../route-schemas.js';
import { unknownSensor } from './sensor-routes.js';

export function calibrationRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  const { target, calibrations } = ctx;

  app.get<{ Params: { id: string } }>('/api/sensors/:id/calibration', { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const spec = target.hub.specOf(id);
    if (spec === undefined) return unknownSensor(reply, id);
    const override = calibrations?.calibrationOf(id);
    return {
      sensorId: id,
      kind: spec.kind,
      calibration: spec.calibration,
      ...(spec.level !== undefined ? { level: spec.level } : {}),
      source: override === undefined ? 'config' : override.source,
      ...(override !== undefined ? { updatedAt: override.updatedAt } : {}),
    };
  });

  app.put<{ Params: { id: string }; Body: { calibration: Record<string, unknown> } }>(
    '/api/sensors/:id/calibration',
    {
      schema: {
        params: idParams,
        body: z.strictObject({ calibration: z.record(z.string(), z.unknown()) }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const before = target.hub.specOf(id);
      if (before === undefined) return unknownSensor(reply, id);
      if (calibrations === undefined) return reply.status(409).send(apiError('no_overrides', 'this gateway keeps no calibration overrides'));
      const result = calibrations.setCalibration(id, { calibration: request.body.calibration }, ctx.clock.now());
      if (!result.ok) {
        return reply.status(400).send({
          ...apiError('invalid_calibration', `the calibration does not fit sensor "${id}": ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`),
          issues: result.issues,
        });
      }
      return { sensorId: id, before: before.calibration, after: target.hub.specOf(id)?.calibration };
    },
  );

  app.delete<{ Params: { id: string } }>('/api/sensors/:id/calibration', { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const before = target.hub.specOf(id);
    if (before === undefined) return unknownSensor(reply, id);
    if (calibrations === undefined) return reply.status(409).send(apiError('no_overrides', 'this gateway keeps no calibration overrides'));
    const result = calibrations.clearCalibration(id);
    if (!result.ok) return reply.status(400).send(apiError('invalid_calibration', result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')));
    return { sensorId: id, before: before.calibration, after: target.hub.specOf(id)?.calibration };
  });
}
