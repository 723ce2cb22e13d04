/** Simulate mode only: set a simulated tank's level (a calibration rehearsal) and read the truth. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiError } from '../control-api.js';
import type { SimulationControl } from '../control-target.js';

export function simulationRoutes(app: FastifyInstance, simulation: SimulationControl): void {
  app.get<{ Params: { id: string } }>('/api/simulation/level/:id', async (request, reply) => {
    const percent = simulation.trueLevelPercent(request.params.id);
    if (percent === undefined) return reply.status(404).send(apiError('no_simulated_tank', `sensor "${request.params.id}" has no simulated tank`));
    return { sensorId: request.params.id, percent };
  });

  app.put<{ Params: { id: string }; Body: { percent: number } }>(
    '/api/simulation/level/:id',
    { schema: { body: z.strictObject({ percent: z.number().min(0).max(100) }) } },
    async (request, reply) => {
      if (!simulation.setLevelPercent(request.params.id, request.body.percent)) {
        return reply.status(404).send(apiError('no_simulated_tank', `sensor "${request.params.id}" has no simulated tank`));
      }
      return { sensorId: request.params.id, percent: simulation.trueLevelPercent(request.params.id) };
    },
  );
}
