import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseParams, ruleSummary, typesFor } from './rule-forms.js';

describe('alert rule forms', () => {
  it('offers the rule types that fit the sensor', () => {
    assert.deepEqual(typesFor('level'), ['low_level', 'sudden_drop', 'device_offline']);
    assert.deepEqual(typesFor('gas'), ['gas', 'device_offline']);
    assert.deepEqual(typesFor('leak'), ['device_offline']);
  });

  it('checks what the API checks, with words on the field', () => {
    assert.deepEqual(parseParams('low_level', { warningPercent: '20', criticalPercent: '10' }), { params: { warningPercent: 20, criticalPercent: 10 } });
    assert.deepEqual(parseParams('low_level', { warningPercent: '20', criticalPercent: '30' }), { errors: { criticalPercent: 'Critical means emptier: set it below the warning level.' } });
    assert.deepEqual(parseParams('gas', { warningLel: 'ten', alarmLel: '200' }), { errors: { warningLel: 'Enter a number.', alarmLel: 'Between 0 and 100 %LEL.' } });
    assert.deepEqual(parseParams('device_offline', {}), { params: {} });
  });

  it('summarises a rule in a line', () => {
    assert.equal(ruleSummary('gas', { warningLel: 10, alarmLel: 25 }), 'Warn at 10 %LEL, alarm at 25 %LEL');
  });
});
