/**
 * Who is calling: `userAuth` for the app's routes (access JWT), `gatewayAuth` for the
 * sync routes (gateway credential). Both run as onRequest hooks, before the body is
 * read, so an unauthenticated request never costs a decompression or a parse.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../errors.js';
import type { AuthenticatedGateway, Repository } from '../storage/repository.js';
import type { Role } from '../storage/types.js';
import { sha256 } from './secrets.js';
import type { Sessions } from './sessions.js';

export interface AuthenticatedUser {
  readonly id: string;
  readonly role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    authUser: AuthenticatedUser | null;
    authGateway: AuthenticatedGateway | null;
  }
}

function bearer(request: FastifyRequest): string | undefined {
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
    request.authUser = { id: user.id, role: user.role };
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

export function currentUser(request: FastifyRequest): AuthenticatedUser {
  if (request.authUser === null) throw apiError('EASYGAS_AUTH_REQUIRED', {});
  return request.authUser;
}

export function currentGateway(request: FastifyRequest): AuthenticatedGateway {
  if (request.authGateway === null) throw apiError('EASYGAS_GATEWAY_AUTH_REQUIRED', {});
  return request.authGateway;
}
