import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PREFERENCES, type PolicyContext, type PolicyEvent } from '../storage/types.js';
import { notificationPolicy, testNotification } from './notification-policy.js';

const context = (overrides: Partial<PolicyContext> = {}): PolicyContext => ({
  userId: 'u1',
  preferences: DEFAULT_PREFERENCES,
  gateway: { id: 'g1', name: 'Kitchen Pi' },
  rules: [],
  sensorNames: new Map([['lpg', 'LPG cylinder'], ['kg', 'Kitchen gas']]),
  ...overrides,
});

const gas: PolicyEvent = { type: 'gas', at: 1, severity: 'critical', state: 'raised', sensorId: 'kg', message: 'Gas at 30 %LEL' };
const low: PolicyEvent = { type: 'low_level', at: 1, severity: 'warning', state: 'raised', sensorId: 'lpg', message: 'LPG at 18 %' };

describe('notification policy', () => {
  it('notifies a raised alarm on the default channels, titled by the sensor’s name', () => {
    const draft = notificationPolicy(gas, context());
    assert.deepEqual(draft, {
      type: 'gas',
      severity: 'critical',
      title: 'Kitchen gas: gas alarm',
      message: 'Gas at 30 %LEL',
      channels: ['email', 'push'],
      sensorId: 'kg',
      ruleId: null,
      eventAt: 1,
    });
  });

  it("notifies the gateway's offline leak watch as a warning, titled in words", () => {
    const leak: PolicyEvent = { type: 'possible_leak', at: 1, severity: 'warning', state: 'raised', sensorId: 'lpg', message: 'the tank lost 30 L between 02:00 and 05:00' };
    assert.equal(notificationPolicy(leak, context())?.title, 'LPG cylinder: possible slow leak');
  });

  it('stays quiet for cleared conditions and for severities below the user’s minimum', () => {
    assert.equal(notificationPolicy({ ...gas, state: 'cleared' }, context()), undefined);
    assert.equal(notificationPolicy({ ...low, severity: 'info' }, context()), undefined);
    assert.equal(notificationPolicy(low, context({ preferences: { ...DEFAULT_PREFERENCES, minSeverity: 'critical' } })), undefined);
    assert.ok(notificationPolicy(gas, context({ preferences: { ...DEFAULT_PREFERENCES, minSeverity: 'critical' } })));
  });

  it('lets an enabled rule choose the channels, under the user’s global switches', () => {
    const rules = [{ id: 'r1', sensorId: 'lpg', type: 'low_level' as const, enabled: true, notify: ['push' as const] }];
    assert.deepEqual(notificationPolicy(low, context({ rules }))?.channels, ['push']);
    assert.equal(notificationPolicy(low, context({ rules }))?.ruleId, 'r1');
    assert.deepEqual(notificationPolicy(low, context({ rules, preferences: { ...DEFAULT_PREFERENCES, push: false } }))?.channels, []);
  });

  it('lets a disabled rule mute its type on its sensor — but never a critical alarm', () => {
    const muted = [{ id: 'r1', sensorId: 'lpg', type: 'low_level' as const, enabled: false, notify: [] }];
    assert.equal(notificationPolicy(low, context({ rules: muted })), undefined);
    const mutedGas = [{ id: 'r2', sensorId: 'kg', type: 'gas' as const, enabled: false, notify: [] }];
    assert.ok(notificationPolicy(gas, context({ rules: mutedGas })));
  });

  it('announces a gateway going offline unless the user turned that off', () => {
    const offline: PolicyEvent = { type: 'device_offline', at: 5, severity: 'warning', state: 'raised', message: 'silent' };
    assert.equal(notificationPolicy(offline, context())?.title, 'Kitchen Pi: gateway offline');
    assert.equal(notificationPolicy(offline, context({ preferences: { ...DEFAULT_PREFERENCES, deviceOffline: false } })), undefined);
    const online: PolicyEvent = { type: 'device_online', at: 6, severity: 'info', state: 'cleared', message: 'back' };
    assert.equal(notificationPolicy(online, context()), undefined, 'info is below the default minimum');
    assert.ok(notificationPolicy(online, context({ preferences: { ...DEFAULT_PREFERENCES, minSeverity: 'info' } })));
  });

  it('drafts a test notification for a rule', () => {
    const draft = testNotification({ id: 'r1', type: 'gas', name: null, notify: ['email'] }, 'Kitchen gas', 'kg', 42);
    assert.equal(draft.type, 'test');
    assert.equal(draft.title, 'Test: Kitchen gas: gas alarm');
    assert.deepEqual(draft.channels, ['email']);
  });
});
