/**
 * The one storage interface of the cloud, grouped by tables, with one
 * implementation for SQLite and PostgreSQL (storage/repositories, on Kysely); one
 * contract suite (storage/test-support/repository-contract.ts) runs on both.
 *
 * Ownership lives here: every user-facing read and write takes the user id and
 * matches nothing of another user's, so a foreign id is simply "not found".
 */
import type { TankDeviceRepository } from './tank-devices-repository.js';
import type { CalibrationMap, EventRecord, Heartbeat, IngestBatch } from '../../protocol/index.js';
import type {
  AlertRule,
  DeviceConfigRecord,
  DeviceEvent,
  Gateway,
  GatewayStatus,
  CloudReading,
  HistoryPoint,
  LevelPoint,
  Notification,
  NotificationDraft,
  NotificationPolicy,
  NotificationPreferences,
  Presence,
  Role,
  RuleDraft,
  Sensor,
  User,
  UserWithSecret,
} from './types.js';
import type { OrderRepository, SupplierRepository, TankRepository } from './orders-repository.js';
import type { TankForecastRepository } from './tank-forecast-types.js';
import type {
  AddressKind,
  ChannelAddress,
  DeliveryAttempt,
  DeliveryStatus,
  DeliverySummary,
  DeliveryWithAttempts,
  DeliveryWork,
  NewChannelAddress,
} from './delivery-types.js';

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly name: string;
  readonly role: Role;
}

export interface UserPatch {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string | null;
}

export interface UserRepository {
  create(user: NewUser, now: number): Promise<User | 'email_taken'>;
  /** Email matching is case-insensitive (stored lower-case). */
  byEmail(email: string): Promise<UserWithSecret | undefined>;
  byId(id: string): Promise<UserWithSecret | undefined>;
  update(id: string, patch: UserPatch, now: number): Promise<User | 'email_taken' | undefined>;
  /** Sets the hash, bumps the token version and revokes every refresh token, at once. Returns the new version. */
  changePassword(id: string, passwordHash: string, now: number): Promise<number>;
  setPreferences(id: string, preferences: NotificationPreferences, now: number): Promise<NotificationPreferences | undefined>;
}

export interface NewRefreshToken {
  readonly id: string;
  readonly userId: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
}

export type RotateOutcome =
  | { readonly kind: 'rotated'; readonly userId: string; readonly familyId: string }
  /** The token had been used before: the whole family is now revoked. */
  | { readonly kind: 'reused'; readonly userId: string; readonly familyId: string }
  | { readonly kind: 'invalid'; readonly reason: 'unknown' | 'expired' | 'revoked' };

export interface TokenRepository {
  addRefreshToken(token: NewRefreshToken, now: number): Promise<void>;
  /** Atomically: marks `tokenHash` used and adds `next` in the same family; or detects reuse and revokes the family. */
  rotateRefreshToken(tokenHash: string, next: Omit<NewRefreshToken, 'userId' | 'familyId'>, now: number): Promise<RotateOutcome>;
  addClaimCode(code: { readonly codeHash: string; readonly userId: string; readonly expiresAt: number }, now: number): Promise<void>;
  /** Sign-out: revokes the family `tokenHash` belongs to (one signed-in browser). False when the token is unknown. */
  revokeFamily(tokenHash: string, now: number): Promise<boolean>;
}

export interface NewGateway {
  /** The gateway's own id when it sent one (its MQTT topics and status use it), else a new one. */
  readonly id: string;
  /** Used instead when `id` is already another gateway's. */
  readonly fallbackId: string;
  readonly name: string;
  readonly version: string | null;
  readonly credentialHash: string;
}

export interface AuthenticatedGateway {
  readonly id: string;
  readonly userId: string;
}

export interface PresenceChange {
  readonly gatewayId: string;
  readonly userId: string;
  readonly presence: Presence;
  readonly notifications: readonly Notification[];
}

export interface HeartbeatOutcome {
  readonly ackedSeq: number;
  readonly configVersion: number;
  /** Set when this heartbeat brought an offline gateway back. */
  readonly cameOnline?: PresenceChange;
}

export interface GatewayRepository {
  /** Consumes an unexpired, unused claim code and creates the gateway for its owner, atomically. */
  registerWithClaimCode(codeHash: string, gateway: NewGateway, now: number): Promise<Gateway | undefined>;
  list(userId: string): Promise<Gateway[]>;
  get(userId: string, id: string): Promise<Gateway | undefined>;
  rename(userId: string, id: string, name: string, now: number): Promise<Gateway | undefined>;
  /** Deletes the gateway with its sensors, readings, events, rules and notifications. */
  remove(userId: string, id: string): Promise<boolean>;
  byCredential(credentialHash: string): Promise<AuthenticatedGateway | undefined>;
  /** A new credential hash, or null to revoke. */
  setCredential(userId: string, id: string, credentialHash: string | null, now: number): Promise<boolean>;
  heartbeat(id: string, heartbeat: Heartbeat, now: number, policy: NotificationPolicy): Promise<HeartbeatOutcome>;
  /** Flips online gateways not seen since `seenBefore` to offline, raising device_offline (once, even with several servers). */
  markOffline(seenBefore: number, now: number, policy: NotificationPolicy): Promise<PresenceChange[]>;
  status(userId: string, id: string): Promise<GatewayStatus | undefined>;
  events(userId: string, id: string, options: { readonly limit: number; readonly before?: number }): Promise<DeviceEvent[] | undefined>;
}

export interface IngestOutcome {
  /** The gateway's owner. */
  readonly userId: string;
  readonly ackedSeq: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly readingsStored: number;
  readonly eventsStored: number;
  /** The events stored now (not those stored by an earlier send), for the domain events. */
  readonly freshEvents: readonly EventRecord[];
  readonly notifications: readonly Notification[];
}

export interface IngestOptions {
  /** An event older than this on arrival is news, not an alert (policy-events.ts; default 24 h). */
  readonly lateAfterMs?: number;
}

export interface IngestRepository {
  /** One transaction: upserts every record on (gateway, seq), creates unseen sensors, advances the watermark. */
  ingest(gatewayId: string, batch: IngestBatch, now: number, policy: NotificationPolicy, options?: IngestOptions): Promise<IngestOutcome>;
}

export interface ReadingRepository {
  listSensors(userId: string): Promise<Sensor[]>;
  /** By the cloud sensor id "<gatewayId>:<sensorId>". */
  sensor(userId: string, id: string): Promise<Sensor | undefined>;
  latest(sensorKey: number): Promise<CloudReading | undefined>;
  /** Aggregates per epoch-aligned bucket over from ≤ at < to. */
  history(sensorKey: number, from: number, to: number, bucketMs: number): Promise<HistoryPoint[]>;
  /** Count-weighted average percent and litres per bucket (level sensors). */
  levelSeries(sensorKey: number, from: number, to: number, bucketMs: number): Promise<LevelPoint[]>;
}

export interface AlertRepository {
  list(userId: string, sensorId?: string): Promise<AlertRule[]>;
  get(userId: string, id: string): Promise<AlertRule | undefined>;
  /** Each write bumps the owning gateway's config version in the same transaction. */
  create(userId: string, sensor: Sensor, id: string, draft: RuleDraft, now: number): Promise<AlertRule>;
  update(userId: string, id: string, draft: RuleDraft, now: number): Promise<AlertRule | undefined>;
  remove(userId: string, id: string, now: number): Promise<boolean>;
  /** Throws GatewayGoneError for an unknown gateway (as do the other gateway-side writes). */
  deviceConfig(gatewayId: string): Promise<DeviceConfigRecord>;
  /** Keeps, per sensor, the entry with the newer updatedAt; bumps the version when anything changed. */
  putCalibrations(gatewayId: string, calibrations: CalibrationMap, now: number): Promise<{ version: number; changed: number }>;
}

export interface NotificationRepository {
  list(userId: string, options: { readonly limit: number; readonly before?: number; readonly unreadOnly?: boolean }): Promise<Notification[]>;
  /** Stores it and its deliveries (to its channels' addresses, or with `onlyAddressId` to that one address at once) in one commit. */
  create(userId: string, gatewayId: string | null, draft: NotificationDraft, now: number, options?: { readonly onlyAddressId?: string }): Promise<Notification>;
  markRead(userId: string, id: string, now: number): Promise<Notification | undefined>;
  /** Marks every unread notification of the user read; returns how many. */
  markAllRead(userId: string, now: number): Promise<number>;
}

export interface ChannelAddressRepository {
  byId(id: string): Promise<(ChannelAddress & { readonly secret: string | null }) | undefined>;
  /** Adds the address, or refreshes the user's same one (new token or keys, turned back on; verified stays verified). */
  add(userId: string, address: NewChannelAddress, now: number): Promise<ChannelAddress>;
  list(userId: string): Promise<ChannelAddress[]>;
  remove(userId: string, id: string): Promise<boolean>;
  removeTarget(userId: string, kind: AddressKind, target: string): Promise<boolean>;
  /** Verifies the address holding this token when it has not expired; the token is single-use. */
  verify(tokenHash: string, now: number): Promise<ChannelAddress | undefined>;
  /** Turns the address off (a provider refused it), with the reason the user sees. */
  disable(id: string, reason: string, now: number): Promise<void>;
  /** Deletes it (the address no longer exists). */
  forget(id: string): Promise<void>;
}

export interface DeliveryRepository {
  work(id: string): Promise<DeliveryWork | undefined>;
  /** Logs one attempt and moves the delivery to `status`. */
  record(id: string, attempt: DeliveryAttempt, status: DeliveryStatus, now: number): Promise<void>;
  /** Ends a pending delivery without an attempt (its address was removed). */
  settle(id: string, status: DeliveryStatus, error: string | null, now: number): Promise<void>;
  /**
   * Takes one of the user's `limit` sends on a channel in the window from `since`
   * (logged as a `sending` attempt) and claims the deliveries to the same target
   * held back so far, for one digest; atomic across processes. When every send is
   * taken, answers when the oldest leaves the window; `inDigest` when another
   * delivery's digest has claimed this one.
   */
  takeSend(
    deliveryId: string,
    userId: string,
    channel: AddressKind,
    since: number,
    limit: number,
    now: number,
  ): Promise<{ readonly taken: true; readonly bundled: readonly string[] } | { readonly taken: false; readonly oldest: number } | { readonly taken: false; readonly inDigest: true }>;
  /** Undefined when the notification is not the user's. */
  forNotification(userId: string, notificationId: string): Promise<DeliveryWithAttempts[] | undefined>;
  summaries(notificationIds: readonly string[]): Promise<Map<string, DeliverySummary>>;
}

export interface ActiveAlertRepository {
  /** Stops the escalation of the alert this notification raised; 'not_active' when it is not (any more) an active alert of the user's. */
  acknowledge(userId: string, notificationId: string, now: number): Promise<'acknowledged' | 'not_active'>;
  /** Of these notifications, the ones that raised a critical alert still active and not acknowledged. */
  awaitingAcknowledgement(notificationIds: readonly string[]): Promise<Set<string>>;
  /** The keys of unacknowledged critical alerts whose next repeat is due. */
  escalationsDue(now: number, intervalMs: number, maxRepeats: number): Promise<string[]>;
  /** Counts one repeat, if it is still due, and writes a delivery to every address of the user; returns how many. */
  escalate(key: string, now: number, intervalMs: number, maxRepeats: number): Promise<number>;
  /** The keys of unacknowledged critical alerts past their last repeat (and one more interval) whose contacts were not told yet. */
  contactsDue(now: number, intervalMs: number, maxRepeats: number): Promise<string[]>;
  /** Tells the user's verified emergency contacts of the alarm, once per alert; returns how many deliveries it wrote. */
  tellContacts(key: string, now: number): Promise<number>;
}

export interface PasswordResetRepository {
  create(userId: string, tokenHash: string, expiresAt: number, now: number): Promise<void>;
  /** Uses the token once: the user's id when it was unused and unexpired, else undefined. */
  consume(tokenHash: string, now: number): Promise<string | undefined>;
}

export interface SettingsRepository {
  /** The named secret, created with `generate` on first use (shared by every server on one database). */
  secret(name: string, generate: () => string): Promise<string>;
}

export interface RetentionRepository {
  /** Sensors that still have raw readings older than `before`. */
  sensorsWithRawBefore(before: number): Promise<number[]>;
  /**
   * Deletes up to `limit` raw readings of one sensor older than `before` that its
   * gateway has acknowledged (rollups stay); returns how many, or 'busy' when
   * another API process is pruning.
   */
  pruneRaw(sensorKey: number, before: number, limit: number): Promise<number | 'busy'>;
}

/** One outbox row claimed by a worker. */
export interface OutboxItem {
  readonly id: number;
  readonly kind: string;
  readonly payload: unknown;
  /** Tries before this one. */
  readonly attempts: number;
  readonly createdAt: number;
}

export type OutboxOutcome = 'delivered' | 'failed' | 'gone';

export interface OutboxRepository {
  /** Writes a row, due now (in the caller's transaction when called through `tx`). */
  enqueue(kind: string, payload: unknown, now: number): Promise<void>;
  /** Leases up to `limit` due rows to `owner` until now + leaseMs (each row to one owner only). */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  /** Done for good; false when the lease was lost (another owner has the row). */
  settle(id: number, owner: string, outcome: OutboxOutcome, error: string | null, now: number): Promise<boolean>;
  /** Tried and failed; due again at `availableAt`. False when the lease was lost. */
  retryAt(id: number, owner: string, availableAt: number, error: string): Promise<boolean>;
  /** Gives back rows this owner claimed and did not start (a clean shutdown). */
  release(ids: readonly number[], owner: string): Promise<void>;
  /** Rows not done yet. */
  pending(): Promise<number>;
  /** One row as stored, for an operator looking into a failure (a settled row has no payload left). */
  row(id: number): Promise<{ readonly kind: string; readonly payload: unknown; readonly outcome: string | null; readonly doneAt: number | null } | undefined>;
}

export interface JobLeaseRepository {
  /** Takes the job's lease until `until` when it is free or expired at `now`; false when another process holds it. */
  take(name: string, owner: string, now: number, until: number): Promise<boolean>;
  /** How many times the job's lease was taken, across processes. */
  runs(name: string): Promise<number>;
}

/** Every table group, as one transaction or the database sees them. */
export interface Repositories {
  readonly users: UserRepository;
  readonly tokens: TokenRepository;
  readonly gateways: GatewayRepository;
  readonly ingest: IngestRepository;
  readonly readings: ReadingRepository;
  readonly alerts: AlertRepository;
  readonly notifications: NotificationRepository;
  readonly settings: SettingsRepository;
  readonly retention: RetentionRepository;
  readonly outbox: OutboxRepository;
  readonly jobs: JobLeaseRepository;
  readonly tanks: TankRepository;
  readonly tankForecasts: TankForecastRepository;
  readonly tankDevices: TankDeviceRepository;
  readonly suppliers: SupplierRepository;
  readonly orders: OrderRepository;
  readonly addresses: ChannelAddressRepository;
  readonly deliveries: DeliveryRepository;
  readonly activeAlerts: ActiveAlertRepository;
  readonly passwordResets: PasswordResetRepository;
}

export interface Repository extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs fn in one transaction: every repository call made through `tx` commits or
   * rolls back together (a method that opens its own transaction joins this one).
   * Keep it short: on SQLite it holds the one writer; on PostgreSQL, a connection.
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** A trivial query: throws when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The gateway was deleted between authenticating its request and writing it. */
export class GatewayGoneError extends Error {
  override readonly name = 'GatewayGoneError';
  constructor(gatewayId: string) {
    super(`gateway ${gatewayId} no longer exists`);
  }
}
