/**
 * The cloud's domain records as the repository returns them: plain data, times in
 * UTC epoch ms, nothing of either database's row shape.
 */
import type {
  AlertRuleType,
  CalibrationMap,
  DeviceRule,
  Health,
  NotifyChannel,
  Quality,
  SensorKind,
  Severity,
} from '../../protocol/index.js';

export type Role = 'customer' | 'supplier' | 'admin';
export const ROLES: readonly Role[] = ['customer', 'supplier', 'admin'];

export interface NotificationPreferences {
  /** Deliver by email / push (the notifications table is always written). */
  readonly email: boolean;
  readonly push: boolean;
  /** Events below this severity make no notification. */
  readonly minSeverity: Severity;
  /** Notify when a gateway stops sending heartbeats. */
  readonly deviceOffline: boolean;
  /** Warnings wait until these hours end; critical alarms always go through. */
  readonly quietHours?: QuietHours | null;
}

export interface QuietHours {
  /** Local "HH:MM"; the window may cross midnight. */
  readonly start: string;
  readonly end: string;
  /** IANA time zone, e.g. Europe/London. */
  readonly timeZone: string;
}

export const DEFAULT_PREFERENCES: NotificationPreferences = { email: true, push: true, minSeverity: 'warning', deviceOffline: true };

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly phone: string | null;
  readonly preferences: NotificationPreferences;
  /** Bumped by a password change; access tokens carry it and older ones stop working. */
  readonly tokenVersion: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface UserWithSecret extends User {
  readonly passwordHash: string;
}

export type Presence = 'unknown' | 'online' | 'offline';

export interface Gateway {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly version: string | null;
  readonly credentialActive: boolean;
  readonly presence: Presence;
  readonly lastSeenAt: number | null;
  /** The contiguous watermark: every record with seq ≤ ackedSeq is stored. */
  readonly ackedSeq: number;
  readonly configVersion: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The last heartbeat, as kept. */
export interface HeartbeatSummary {
  readonly receivedAt: number;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly clockSynced: boolean;
  readonly backlog: { readonly records: number; readonly oldestAt: number | null };
}

export interface Sensor {
  /** The cloud's id: "<gatewayId>:<sensorId>". */
  readonly id: string;
  /** Internal surrogate key; never leaves the server. */
  readonly key: number;
  readonly gatewayId: string;
  /** The gateway's own id for it ("lpg"). */
  readonly sensorId: string;
  readonly kind: SensorKind;
  readonly name: string | null;
  readonly unit: string | null;
  /** As the last heartbeat reported it. */
  readonly health: Health | null;
  readonly lastReadingAt: number | null;
  readonly firstSeenAt: number;
}

export interface GatewayStatus {
  readonly gateway: Gateway;
  readonly heartbeat: HeartbeatSummary | null;
  readonly sensors: readonly Sensor[];
}

export interface CloudReading {
  readonly seq: number;
  readonly at: number;
  readonly value: number;
  readonly unit: string;
  readonly raw: number | null;
  readonly percent: number | null;
  readonly litres: number | null;
  readonly ppm: number | null;
  readonly quality: Quality;
  readonly clockSynced: boolean;
  readonly downsampled: { readonly seqEnd: number; readonly atEnd: number; readonly count: number; readonly min: number; readonly max: number } | null;
}

export interface HistoryPoint {
  /** Bucket start, UTC epoch ms (aligned to the epoch). */
  readonly at: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  /** Readings in the bucket (a downsampled row counts as the readings it replaced). */
  readonly count: number;
}

export interface LevelPoint {
  readonly at: number;
  readonly percent: number | null;
  readonly litres: number | null;
}

export interface DeviceEvent {
  readonly id: number;
  /** The gateway's seq, or null for events the cloud raised (device_offline). */
  readonly seq: number | null;
  readonly source: 'gateway' | 'cloud';
  readonly at: number;
  readonly type: string;
  readonly sensorId: string | null;
  readonly state: 'raised' | 'cleared' | null;
  readonly severity: Severity;
  readonly message: string;
  readonly value: number | null;
  readonly unit: string | null;
  readonly clockSynced: boolean;
}

export type RuleParams = DeviceRule['params'];

export interface RuleDraft {
  readonly type: AlertRuleType;
  readonly params: RuleParams;
  readonly name: string | null;
  readonly enabled: boolean;
  readonly notify: readonly NotifyChannel[];
}

export interface AlertRule extends RuleDraft {
  readonly id: string;
  readonly userId: string;
  readonly gatewayId: string;
  /** The cloud sensor id. */
  readonly sensorId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface Notification {
  readonly id: string;
  readonly userId: string;
  readonly gatewayId: string | null;
  /** The cloud sensor id, when the notification is about one sensor. */
  readonly sensorId: string | null;
  readonly ruleId: string | null;
  /** The event type (gas, low_level, device_offline…) or "test". */
  readonly type: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly channels: readonly NotifyChannel[];
  readonly eventAt: number;
  readonly createdAt: number;
  readonly readAt: number | null;
}

/** What a policy decides to tell a user; the repository stores it. */
export interface NotificationDraft {
  readonly type: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly channels: readonly NotifyChannel[];
  /** The gateway's sensor id. */
  readonly sensorId: string | null;
  readonly ruleId: string | null;
  readonly eventAt: number;
}

/** An event as the notification policy sees it: from a gateway, or raised by the cloud. */
export interface PolicyEvent {
  readonly type: string;
  readonly at: number;
  readonly severity: Severity;
  readonly state?: 'raised' | 'cleared';
  readonly sensorId?: string;
  readonly message: string;
}

export interface PolicyContext {
  readonly userId: string;
  readonly preferences: NotificationPreferences;
  readonly gateway: { readonly id: string; readonly name: string };
  readonly rules: readonly { readonly id: string; readonly sensorId: string; readonly type: AlertRuleType; readonly enabled: boolean; readonly notify: readonly NotifyChannel[] }[];
  /** Gateway sensor id → the name the homeowner gave it. */
  readonly sensorNames: ReadonlyMap<string, string>;
}

/** Pure and synchronous: runs inside the repository's transaction. */
export type NotificationPolicy = (event: PolicyEvent, context: PolicyContext) => NotificationDraft | undefined;

export interface DeviceConfigRecord {
  readonly version: number;
  readonly rules: DeviceRule[];
  readonly calibrations: CalibrationMap;
}
