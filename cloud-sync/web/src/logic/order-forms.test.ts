import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysLeftWords, outcomeWords } from './forecast-words.js';
import { makeFormats } from './format.js';
import { checkWindow } from './order-words.js';
import { checkTankForm, tankFormValues } from './tank-form.js';

const formats = makeFormats('en-GB', 'UTC');
const DAY = 86_400_000;

describe('forecast in words', () => {
  it('a date with its band, or the reason — never a dash', () => {
    const at = Date.UTC(2026, 11, 10);
    assert.equal(outcomeWords('Empty by', { ok: true, estimate: { at, p10: at - DAY, p90: at + DAY, days: 3 } }, formats), `Empty by ${formats.date(at)} (between ${formats.date(at - DAY)} and ${formats.date(at + DAY)})`);
    assert.match(outcomeWords('Empty by', { ok: true, estimate: { at, p10: at - DAY, p90: null, days: 3 } }, formats), /not before/);
    assert.equal(outcomeWords('Empty by', { ok: false, reason: 'fewer than 4 days of data' }, formats), 'Empty by: no date — fewer than 4 days of data');
    assert.equal(daysLeftWords({ ok: false, reason: 'the last reading is older than 96 h' }, formats), 'the last reading is older than 96 h');
    assert.equal(daysLeftWords({ ok: true, estimate: { at, p10: at, p90: at, days: 6.4 } }, formats), 'in about 6 days');
  });
});

describe('order window', () => {
  const now = Date.UTC(2026, 11, 7, 12);
  const local = (at: number) => new Date(at).toISOString().slice(0, 16);
  it('names the field: missing, in the past, reversed', () => {
    assert.deepEqual(checkWindow('', local(now + DAY), now), { ok: false, field: 'start', error: 'Choose when the window starts.' });
    assert.equal((checkWindow(local(now - DAY), local(now + DAY), now) as { field: string }).field, 'start');
    assert.equal((checkWindow(local(now + 2 * DAY), local(now + DAY), now) as { field: string }).field, 'end');
    assert.equal(checkWindow(local(now + DAY), local(now + 2 * DAY), now).ok, true);
  });
});

describe('tank form', () => {
  it('names each bad field and builds the body from good ones', () => {
    const bad = checkTankForm({ ...tankFormValues(), capacityLitres: '1.5', reorderLevel: '120', autoOrder: true });
    assert.equal(bad.ok, false);
    assert.deepEqual(Object.keys((bad as { errors: object }).errors).sort(), ['capacityLitres', 'city', 'name', 'postalCode', 'preferredSupplierId', 'reorderLevel', 'street']);
    const good = checkTankForm({ ...tankFormValues(), name: ' Garden ', capacityLitres: '1000', street: '1 High St', city: 'Bath', postalCode: 'BA1 1AA', country: 'gb' });
    assert.ok(good.ok);
    assert.deepEqual(good.body.address, { street: '1 High St', city: 'Bath', postalCode: 'BA1 1AA', country: 'GB' });
    assert.equal(good.body.name, 'Garden');
    assert.equal(good.body.sensorId, null);
  });
});
