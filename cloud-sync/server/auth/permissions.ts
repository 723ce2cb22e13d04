/**
 * Who may call what: each user route declares one permission (`requirePermission`),
 * and this table says which roles hold it. A role without it gets 403
 * EASYGAS_FORBIDDEN before the body is read; a role with it still sees only its own
 * things (the services scope every query to the actor), so another owner's id is 404.
 */
import type { Role } from '../storage/types.js';

export const PERMISSIONS = {
  /** Your own profile, password, preferences and sessions. */
  'account:self': ['customer', 'supplier', 'admin'],
  /** What the cloud told you. */
  'notifications:own': ['customer', 'supplier', 'admin'],
  /** Claim, rename, delete your gateways; their status, events and credentials. */
  'devices:own': ['customer'],
  /** Your sensors' readings, history and analytics (a supplier's view of its customers' tanks comes with orders). */
  'sensors:own': ['customer'],
  /** Alert rules on your sensors. */
  'alerts:own': ['customer'],
  /** Your tanks and their levels. */
  'tanks:own': ['customer'],
  /** The suppliers serving your address, with their prices. */
  'suppliers:browse': ['customer'],
  /** Refill orders you place, cancel, reschedule and review. */
  'orders:own': ['customer'],
  /** A supplier's side of the orders placed with it (the actor's supplierId). */
  'supplier:orders': ['supplier'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

export function mayCall(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** A user route's config: `{ config: requirePermission('devices:own') }` (spread it beside a rate limit). */
export function requirePermission(permission: Permission): { readonly permission: Permission } {
  return { permission };
}
