/**
 * Authentication as a plugin-level hook: a module registers its user routes inside
 * `userScope` and a gateway's inside `gatewayScope`, and every route there is
 * guarded by that scheme, with no per-route option to forget. The scope's scheme is
 * a decorator of its encapsulated instance, which the route table (docs/route-answers.ts)
 * reads to document 401s, 403s and `security`.
 */
import type { CloudApp } from '../context.js';

export type AuthScheme = 'user' | 'gateway';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set inside a user or gateway scope; absent on public routes. */
    authScheme?: AuthScheme;
  }
}

type Routes = (app: CloudApp) => void;

function scope(scheme: AuthScheme, routes: Routes) {
  return (app: CloudApp): Promise<void> => {
    app.decorate('authScheme', scheme);
    app.addHook('onRequest', scheme === 'user' ? app.cloud.userAuth : app.cloud.gatewayAuth);
    routes(app);
    return Promise.resolve();
  };
}

/** Routes for signed-in users (access JWT); each declares `config: requirePermission(…)`. */
export function userScope(routes: Routes) {
  return scope('user', routes);
}

/** Routes a gateway's sync agent calls with its credential. */
export function gatewayScope(routes: Routes) {
  return scope('gateway', routes);
}
