/**
 * Who is acting: every user request carries one, and services take it rather than a
 * bare user id, so a query is scoped by who asks (a customer sees its own things; a
 * supplier, once orders exist, the tanks of the customers who ordered from it).
 */
import type { FastifyRequest } from 'fastify';
import { apiError } from '../errors.js';
import type { Role } from '../storage/types.js';

export interface Actor {
  readonly userId: string;
  readonly role: Role;
  /** The supplier a supplier account acts for (its profile, `easygas cloud supplier create`); absent without one. */
  readonly supplierId?: string;
}

/** The actor of a request inside a user scope (its hook has authenticated it). */
export function currentActor(request: FastifyRequest): Actor {
  if (request.actor === null) throw apiError('EASYGAS_AUTH_REQUIRED', {});
  return request.actor;
}
