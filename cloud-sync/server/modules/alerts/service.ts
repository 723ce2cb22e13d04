/**
 * Alert rules on the actor's sensors. A rule's type must fit its sensor; each write
 * bumps the gateway's config version (in storage), so the gateway's next pull
 * fetches it. Another owner's rule or sensor is not found, like an unknown one.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { checkRuleParams, describeIssues, ruleFitsSensor, type AlertRuleType } from '../../../protocol/index.js';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { apiError, notFound } from '../../errors.js';
import { testNotification } from '../../services/notification-policy.js';
import type { Repository } from '../../storage/repository.js';
import type { AlertRule, Notification, RuleDraft, Sensor } from '../../storage/types.js';
import type { AlertUpdateBody } from './schemas.js';

const MISMATCH_HINT: Readonly<Record<AlertRuleType, string>> = {
  low_level: 'low_level and sudden_drop rules watch level sensors',
  sudden_drop: 'low_level and sudden_drop rules watch level sensors',
  gas: 'gas rules watch gas sensors',
  device_offline: 'device_offline rules fit any sensor',
};

/** A rule as a request states it: what is omitted takes its default (PUT replaces the whole rule). */
export type RuleInput = Static<typeof AlertUpdateBody>;

/** The slice of storage this module reads and writes. */
export type AlertsStorage = Pick<Repository, 'alerts' | 'readings' | 'notifications'>;

function draftOf(input: RuleInput, sensor: Sensor): RuleDraft {
  if (!ruleFitsSensor(input.type, sensor.kind)) {
    throw apiError('EASYGAS_RULE_SENSOR_MISMATCH', { type: input.type, kind: sensor.kind, hint: MISMATCH_HINT[input.type] });
  }
  const issues = checkRuleParams(input);
  if (issues.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${describeIssues(issues)}` }, { issues });
  return { type: input.type, params: input.params, name: input.name ?? null, enabled: input.enabled ?? true, notify: input.notify ?? ['email', 'push'] };
}

export class AlertsService {
  constructor(
    private readonly repo: AlertsStorage,
    private readonly clock: ServerClock,
  ) {}

  async list(actor: Actor, sensorId?: string): Promise<AlertRule[]> {
    // Filtering by someone else's sensor is a 404 like any other foreign id, not an empty list.
    if (sensorId !== undefined) await this.#sensor(actor, sensorId);
    return this.repo.alerts.list(actor.userId, sensorId);
  }

  async create(actor: Actor, sensorId: string, input: RuleInput): Promise<AlertRule> {
    const sensor = await this.#sensor(actor, sensorId);
    return this.repo.alerts.create(actor.userId, sensor, randomUUID(), draftOf(input, sensor), this.clock.now());
  }

  async replace(actor: Actor, id: string, input: RuleInput): Promise<AlertRule> {
    const { rule, sensor } = await this.#rule(actor, id);
    const updated = await this.repo.alerts.update(actor.userId, rule.id, draftOf(input, sensor), this.clock.now());
    if (updated === undefined) throw notFound('alert', id);
    return updated;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.alerts.remove(actor.userId, id, this.clock.now()))) throw notFound('alert', id);
  }

  /** A stored notification of type test on the rule's channels; the caller hands it to delivery. */
  async test(actor: Actor, id: string): Promise<Notification> {
    const { rule, sensor } = await this.#rule(actor, id);
    const now = this.clock.now();
    return this.repo.notifications.create(actor.userId, rule.gatewayId, testNotification(rule, sensor.name ?? sensor.sensorId, sensor.sensorId, now), now);
  }

  async #sensor(actor: Actor, id: string): Promise<Sensor> {
    const sensor = await this.repo.readings.sensor(actor.userId, id);
    if (sensor === undefined) throw notFound('sensor', id);
    return sensor;
  }

  async #rule(actor: Actor, id: string): Promise<{ rule: AlertRule; sensor: Sensor }> {
    const rule = await this.repo.alerts.get(actor.userId, id);
    const sensor = rule === undefined ? undefined : await this.repo.readings.sensor(actor.userId, rule.sensorId);
    if (rule === undefined || sensor === undefined) throw notFound('alert', id);
    return { rule, sensor };
  }
}
