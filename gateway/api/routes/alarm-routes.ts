/** Silence what sounds (refused above a severe level, as a hush button is) and test the buzzer. */
import type { FastifyInstance } from 'fastify';
import type { ControlApiContext } from '../control-api.js';

export function alarmRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  const { alarms } = ctx.target;

  app.post('/api/alarms/silence', (_request, reply) => {
    const outcome = alarms.silence();
    const brief = (a: { key: string; message: string }) => ({ key: a.key, message: a.message });
    return reply.send({ silenced: outcome.silenced.map(brief), refused: outcome.refused.map(brief), active: alarms.active.length });
  });

  app.post('/api/alarms/test', (_request, reply) => {
    alarms.test();
    return reply.send({ testing: true });
  });
}
