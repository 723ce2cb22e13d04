/**
 * The owner's side of gateways: claim codes, rename, delete, status, events and
 * credentials. Every call takes the actor and touches only what it owns: another
 * owner's id is not found, exactly like an unknown one.
 */
import { formatClaimCode } from '../../../protocol/index.js';
import type { Actor } from '../../auth/actor.js';
import { newClaimCode, newToken, sha256 } from '../../auth/secrets.js';
import type { ServerClock } from '../../clock.js';
import { notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { DeviceEvent, Gateway, GatewayStatus } from '../../storage/types.js';

/** The slice of storage this module reads and writes. */
export type DevicesStorage = Pick<Repository, 'gateways' | 'tokens'>;

export class DevicesService {
  constructor(
    private readonly repo: DevicesStorage,
    private readonly clock: ServerClock,
    private readonly claimCodeTtlMs: number,
  ) {}

  async createClaimCode(actor: Actor): Promise<{ code: string; expiresAt: number }> {
    const code = newClaimCode();
    const now = this.clock.now();
    const expiresAt = now + this.claimCodeTtlMs;
    await this.repo.tokens.addClaimCode({ codeHash: sha256(code), userId: actor.userId, expiresAt }, now);
    return { code: formatClaimCode(code), expiresAt };
  }

  list(actor: Actor): Promise<Gateway[]> {
    return this.repo.gateways.list(actor.userId);
  }

  async get(actor: Actor, id: string): Promise<Gateway> {
    return found(id, await this.repo.gateways.get(actor.userId, id));
  }

  async rename(actor: Actor, id: string, name: string): Promise<Gateway> {
    return found(id, await this.repo.gateways.rename(actor.userId, id, name, this.clock.now()));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.gateways.remove(actor.userId, id))) throw notFound('device', id);
  }

  async status(actor: Actor, id: string): Promise<GatewayStatus> {
    return found(id, await this.repo.gateways.status(actor.userId, id));
  }

  async events(actor: Actor, id: string, page: { readonly limit: number; readonly before?: number }): Promise<DeviceEvent[]> {
    return found(id, await this.repo.gateways.events(actor.userId, id, page));
  }

  /** A new credential (shown once); the old one stops working. */
  async rotateCredential(actor: Actor, id: string): Promise<string> {
    const credential = newToken('egw');
    if (!(await this.repo.gateways.setCredential(actor.userId, id, sha256(credential), this.clock.now()))) throw notFound('device', id);
    return credential;
  }

  async revokeCredential(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.gateways.setCredential(actor.userId, id, null, this.clock.now()))) throw notFound('device', id);
  }
}

function found<T>(id: string, value: T | undefined): T {
  if (value === undefined) throw notFound('device', id);
  return value;
}
