import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecast } from './forecast.js';
import { DAY, HOUR } from './local-time.js';
import { meals, trace } from './test-traces.js';
import { analyseUsage } from './usage.js';

const START = Date.UTC(2026, 0, 5);

describe('analytics forecast', () => {
  it('dates reorder and empty from the median daily use, with a band around them and the basis in words', () => {
    const rows = trace({ start: START, hours: 21 * 24, fromPercent: 95, perHour: meals });
    const now = START + 21 * DAY - HOUR;
    const f = forecast(analyseUsage(rows), { now, reorderPercent: 20 });
    assert.equal(f.method, 'median');
    assert.match(f.basis, /from 20 days of use: median of 14 days/);
    assert.ok(f.emptyBy.ok && f.reorderBy.ok);
    const level = 95 - 2.4 * 21;
    const empty = f.emptyBy.estimate;
    assert.ok(Math.abs(empty.days - level / 2.4) < 1, `empty in ${empty.days} days, ${level / 2.4} expected`);
    assert.ok(empty.p10 < empty.at && empty.p90 !== null && empty.p90 > empty.at, 'a band around the median');
    assert.ok(Math.abs(f.reorderBy.estimate.days - (level - 20) / 2.4) < 1);
    // The curve the chart draws is the same computation as the dates: its band crosses empty at p10 and p90.
    const crossing = (edge: 'p10' | 'p50' | 'p90') => f.projection.find((p) => p[edge] <= 0)?.at ?? Number.NaN;
    assert.ok(Math.abs(crossing('p50') - empty.at) <= 6 * HOUR, 'median line empties at the empty-by date');
    assert.ok(Math.abs(crossing('p10') - empty.p10) <= 6 * HOUR, 'low edge empties at P10');
    assert.ok(Math.abs(crossing('p90') - (empty.p90 ?? 0)) <= 6 * HOUR, 'high edge empties at P90');
    assert.equal(f.projection[f.projection.length - 1]?.p90, 0, 'the curve ends once the band has reached empty');
  });

  it('follows the weekday profile: a tank used only at weekends empties on a weekend', () => {
    const weekendOnly = (hod: number, h: number): number => {
      const weekday = new Date(START + h * HOUR).getUTCDay();
      return weekday === 0 || weekday === 6 ? meals(hod) * 3 : meals(hod) * 0.3;
    };
    const rows = trace({ start: START, hours: 28 * 24, fromPercent: 100, perHour: weekendOnly });
    const f = forecast(analyseUsage(rows), { now: START + 28 * DAY - HOUR, reorderPercent: 10 });
    assert.ok(f.emptyBy.ok);
    assert.match(f.basis, /weekday profile from 3 weeks/);
  });

  it('fits use = base + HDD / K for heating and falls back to the median without enough weather', () => {
    const temps = Array.from({ length: 30 * 24 }, (_, h) => ({ at: START + h * HOUR, celsius: 10 - 8 * Math.sin((Math.floor(h / 24) / 30) * Math.PI * 2) }));
    const heat = (hod: number, h: number): number => (0.5 + Math.max(0, 15.5 - (temps[h]?.celsius ?? 10)) / 5) / 24;
    const rows = trace({ start: START, hours: 30 * 24, fromPercent: 100, perHour: heat });
    const usage = analyseUsage(rows, { noiseFloorPercent: 0.05 });
    const f = forecast(usage, { now: START + 30 * DAY - HOUR, reorderPercent: 20, outdoor: temps });
    assert.equal(f.method, 'degree-days', f.basis);
    assert.match(f.basis, /K = 5\.\d degree-days per %/);
    const flat = temps.map((t) => ({ ...t, celsius: 9 }));
    assert.equal(forecast(usage, { now: START + 30 * DAY - HOUR, reorderPercent: 20, outdoor: flat }).method, 'median');
  });

  it('says why instead of a date: stale data, too few days, too far out, no use', () => {
    const rows = trace({ start: START, hours: 10 * 24, fromPercent: 95, perHour: meals });
    const stale = forecast(analyseUsage(rows), { now: START + 15 * DAY, reorderPercent: 20 });
    assert.ok(!stale.emptyBy.ok && /hours old/.test(stale.emptyBy.reason));
    const short = forecast(analyseUsage(rows.slice(0, 3 * 24)), { now: START + 3 * DAY, reorderPercent: 20 });
    assert.ok(!short.emptyBy.ok && /full days of readings/.test(short.emptyBy.reason));
    const slow = trace({ start: START, hours: 10 * 24, fromPercent: 95, perHour: (hod) => (hod === 12 ? 0.6 : 0) });
    const far = forecast(analyseUsage(slow), { now: START + 10 * DAY - HOUR, reorderPercent: 20 });
    assert.ok(!far.emptyBy.ok && /more than 90 days/.test(far.emptyBy.reason), JSON.stringify(far));
    const idle = trace({ start: START, hours: 10 * 24, fromPercent: 95, perHour: () => 0 });
    const none = forecast(analyseUsage(idle), { now: START + 10 * DAY - HOUR, reorderPercent: 20 });
    assert.ok(!none.emptyBy.ok && /no use measured/.test(none.emptyBy.reason));
  });
});
