import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleBody, checkRuleParams, ruleFitsSensor } from './alert-rules.js';
import { DeviceConfig, configEtag } from './device-config.js';
import { validator } from './validator.js';

describe('alert rules', () => {
  it('validates params by rule type', () => {
    const rules = validator(RuleBody);
    assert.equal(rules.check({ type: 'low_level', params: { warningPercent: 25, criticalPercent: 10 } }), true);
    assert.equal(rules.check({ type: 'device_offline', params: {} }), true);
    const parsed = rules.parse({ type: 'sudden_drop', params: { dropPercent: 0, windowMinutes: 30 } });
    assert.deepEqual(parsed, { ok: false, issues: [{ path: 'params.dropPercent', message: 'must be above 0' }] });
  });

  it('keeps the thresholds in the order that makes sense', () => {
    assert.deepEqual(checkRuleParams({ type: 'low_level', params: { warningPercent: 10, criticalPercent: 20 } }), [
      { path: 'params.criticalPercent', message: 'must be below warningPercent (10): critical means emptier' },
    ]);
    assert.deepEqual(checkRuleParams({ type: 'gas', params: { warningLel: 10, alarmLel: 10 } }), [
      { path: 'params.alarmLel', message: 'must be above warningLel (10)' },
    ]);
    assert.deepEqual(checkRuleParams({ type: 'gas', params: { warningLel: 10, alarmLel: 25 } }), []);
  });

  it('fits rule types to sensor kinds', () => {
    assert.equal(ruleFitsSensor('low_level', 'level'), true);
    assert.equal(ruleFitsSensor('low_level', 'gas'), false);
    assert.equal(ruleFitsSensor('gas', 'gas'), true);
    assert.equal(ruleFitsSensor('device_offline', 'leak'), true);
  });

  it('describes the config a gateway pulls, with a strong ETag per version', () => {
    const config = {
      version: 3,
      rules: [{ id: 'r1', sensorId: 'lpg', enabled: true, updatedAt: 1, type: 'low_level', params: { warningPercent: 20, criticalPercent: 10 } }],
      calibrations: { lpg: { calibration: { type: 'identity' }, updatedAt: 2 } },
    };
    assert.equal(validator(DeviceConfig).check(config), true);
    assert.equal(configEtag(3), '"config-3"');
    assert.notEqual(configEtag(3), configEtag(4));
  });
});
