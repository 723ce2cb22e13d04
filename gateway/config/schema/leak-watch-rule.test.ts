import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPipelineSpec } from '../pipeline-spec.js';
import { configDoc, issuesOf, sensor, valid } from '../test-support/configs.js';

const DEFAULT_WATCH = {
  type: 'leak_watch',
  quietHours: { fromMinute: 120, toMinute: 300, minLossPercent: 0.6 },
  steadyDecline: { windowMs: 4 * 3_600_000, minPercentPerHour: 0.15 },
};

describe('gateway config: rules.leakWatch', () => {
  it('is on by default for a water tank (filled to 100 %), off for LPG (80 %) unless configured', () => {
    const [tank, lpg] = valid(configDoc({ sensors: [sensor('tank'), sensor('lpg')] })).sensors;
    assert.deepEqual(tank?.rules.leakWatch, DEFAULT_WATCH);
    assert.equal(lpg?.rules.leakWatch, undefined);
    const configured = valid(configDoc({ sensors: [sensor('lpg', { rules: { leakWatch: { steadyDecline: false } } })] })).sensors[0];
    assert.deepEqual(configured?.rules.leakWatch, { type: 'leak_watch', quietHours: DEFAULT_WATCH.quietHours });
  });

  it('takes its own quiet hours, floors and time zone, and false switches it off', () => {
    const given = { quietHours: { from: '23:30', to: '06:00', minLossPercent: 1 }, steadyDecline: { window: '3h', minPercentPerHour: 0.3 }, timeZone: 'Europe/Dublin' };
    const tank = valid(configDoc({ sensors: [sensor('tank', { rules: { leakWatch: given } })] })).sensors[0];
    const off = valid(configDoc({ sensors: [sensor('tank', { rules: { leakWatch: false } })] })).sensors[0];
    assert.deepEqual(tank?.rules.leakWatch, {
      type: 'leak_watch',
      timeZone: 'Europe/Dublin',
      quietHours: { fromMinute: 23 * 60 + 30, toMinute: 360, minLossPercent: 1 },
      steadyDecline: { windowMs: 3 * 3_600_000, minPercentPerHour: 0.3 },
    });
    assert.equal(off?.rules.leakWatch, undefined);
    assert.ok(tank !== undefined && toPipelineSpec(tank).rules.some((r) => r.type === 'leak_watch'), 'it reaches the pipeline');
  });

  it('names the field and what to do when the settings are wrong', () => {
    const issues = (leakWatch: unknown, kind: 'tank' | 'gas' = 'tank'): string => issuesOf(configDoc({ sensors: [sensor(kind, { rules: { leakWatch } })] })).join('\n');
    const first = issues({ quietHours: { from: '2am', to: '02:15' }, steadyDecline: { window: '1h' }, timeZone: 'Mars/Olympus' });
    assert.match(first, /sensors\[0\]\.rules\.leakWatch\.quietHours\.from: must be a local time on the hour or half hour, like "02:00"/);
    assert.match(first, /sensors\[0\]\.rules\.leakWatch\.quietHours\.to: must be a local time on the hour or half hour/);
    assert.match(first, /sensors\[0\]\.rules\.leakWatch\.steadyDecline\.window: .*2h/);
    assert.match(first, /sensors\[0\]\.rules\.leakWatch\.timeZone: must be an IANA time zone like "Europe\/London"/);
    assert.match(issues({ quietHours: { from: '02:00', to: '03:00' } }), /rules\.leakWatch\.quietHours\.to: the quiet hours must last 2 to 12 hours/);
    assert.match(issues({ steadyDecline: { window: '190m' } }), /rules\.leakWatch\.steadyDecline\.window: must be whole half hours/);
    assert.match(issues({}, 'gas'), /sensors\[0\]\.rules\.leakWatch: a gas sensor has no leakWatch rule/);
  });
});
