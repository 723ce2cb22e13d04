/**
 * Who is calling: `userAuth` for the app's routes (access JWT, then the route's
 * permission), `gatewayAuth` for the sync routes (gateway credential). Each is the
 * onRequest hook of its scope (auth/scopes.ts), so it runs before the body is read:
 * an unauthenticated or forbidden request never costs a decompression or a parse.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../errors.js';
import type { AuthenticatedGateway, Repository } from '../storage/repository.js';
import type { Actor } from './actor.js';
import { mayCall, type Permission } from './permissions.js';
import { sha256 } from './secrets.js';
import type { Sessions } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authGateway: AuthenticatedGateway | null;
  }
  interface FastifyContextConfig {
    /** Who may call a user route (auth/permissions.ts); every route of a user scope declares one. */
    permission?: Permission;
  }
}

export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([\x21-\x7e]{1,2048})\s*$/i.exec(header);
  return match?.[1];
}

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function userAuth(repo: Repository, sessions: Sessions): AuthHook {
  return async (request) => {
    const token = bearer(request);
    if (token === undefined) throw apiError('EASYGAS_AUTH_REQUIRED', {});
    const claims = sessions.verifyAccess(token);
    if (claims === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
    const user = await repo.users.byId(claims.sub);
    // A password change bumps the version: tokens issued before it stop here.
    if (user === undefined || user.tokenVersion !== claims.ver) throw apiError('EASYGAS_TOKEN_INVALID', {});
    const permission = request.routeOptions.config.permission;
    // The route table refuses a user route without a permission at start-up; this is the belt to those braces.
    if (permission === undefined || !mayCall(user.role, permission)) throw apiError('EASYGAS_FORBIDDEN', { role: user.role, permission: permission ?? 'none' });
    // A supplier account acts for its supplier profile (none until `easygas cloud supplier create` made one).
    const supplier = user.role === 'supplier' ? await repo.suppliers.byUser(user.id) : undefined;
    request.actor = { userId: user.id, role: user.role, ...(supplier === undefined ? {} : { supplierId: supplier.id }) };
  };
}

export function gatewayAuth(repo: Repository): AuthHook {
  return async (request) => {
    const token = bearer(request);
    if (token === undefined) throw apiError('EASYGAS_GATEWAY_AUTH_REQUIRED', {});
    const gateway = token.startsWith('egw_') ? await repo.gateways.byCredential(sha256(token)) : undefined;
    if (gateway === undefined) throw apiError('EASYGAS_GATEWAY_CREDENTIAL_INVALID', {});
    request.authGateway = gateway;
  };
}

export function currentGateway(request: FastifyRequest): AuthenticatedGateway {
  if (request.authGateway === null) throw apiError('EASYGAS_GATEWAY_AUTH_REQUIRED', {});
  return request.authGateway;
}
