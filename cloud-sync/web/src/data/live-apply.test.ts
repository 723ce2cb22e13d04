import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiClient } from '../api/api-client.js';
import type { Latest, Notification } from '../api/types.js';
import { AppData } from './app-data.js';
import { applyLiveEvent } from './live-apply.js';
import type { LiveEvent } from './live-protocol.js';

/** An API whose every method records its call and answers from `answers` (or an empty list). */
function fakeApi(answers: Record<string, unknown>): { api: ApiClient; calls: string[] } {
  const calls: string[] = [];
  const api = new Proxy({}, { get: (_t, name: string) => (...args: unknown[]) => {
    calls.push(`${name}(${args.filter((a) => typeof a === 'string').join(',')})`);
    return Promise.resolve(answers[name] ?? []);
  } }) as ApiClient;
  return { api, calls };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const latest: Latest = {
  sensor: { id: 'g:lpg' } as Latest['sensor'],
  reading: { seq: 9, at: 1_000, value: 60, unit: '%', raw: 1.2, percent: 60, litres: 28, ppm: null, quality: 'ok', clockSynced: true, downsampled: null },
};

const note = (id: string, readAt: number | null = null): Notification => ({
  id, gatewayId: 'g', sensorId: 'g:gas', ruleId: null, type: 'gas_alarm', severity: 'critical', title: 'Gas alarm', message: 'Gas in the kitchen',
  channels: [], eventAt: 1, createdAt: 2, readAt,
});

const readings = (at: number, percent: number): LiveEvent => ({
  type: 'event', topic: 'readings', event: { type: 'readings.ingested', gatewayId: 'g', readings: [{ sensorId: 'g:lpg', at, value: percent, unit: '%', quality: 'ok', percent, litres: 20 }] },
});

describe('applying pushed changes to the stores', () => {
  it('a reading moves the gauge at once and refetches the charts of that sensor only', async () => {
    const { api, calls } = fakeApi({ latest, history: { points: [] }, sensors: [{ id: 'g:lpg' }] });
    const data = new AppData(api, () => 50, 'UTC');
    const off = [data.sensors.subscribe(() => undefined), data.latest.get('g:lpg').subscribe(() => undefined), data.history.get('g:lpg|0|100|5m').subscribe(() => undefined), data.history.get('g:other|0|100|5m').subscribe(() => undefined)];
    await settle();
    calls.length = 0;
    applyLiveEvent(data, readings(2_000, 55));
    assert.deepEqual(data.latest.get('g:lpg').state.data?.reading, { ...latest.reading, at: 2_000, value: 55, percent: 55, litres: 20 });
    await settle();
    assert.deepEqual(calls, ['history(g:lpg)'], 'the chart that includes it, not the other sensor’s, and no refetch of the latest');
    applyLiveEvent(data, readings(1_500, 10));
    assert.equal(data.latest.get('g:lpg').state.data?.reading?.value, 55, 'an older reading never replaces a newer one');
    off.forEach((o) => o());
  });

  it('a reading of a sensor the list does not know refetches the sensors', async () => {
    const { api, calls } = fakeApi({ sensors: [] });
    const data = new AppData(api, () => 50, 'UTC');
    data.sensors.subscribe(() => undefined);
    await settle();
    calls.length = 0;
    applyLiveEvent(data, readings(2_000, 55));
    await settle();
    assert.deepEqual(calls, ['sensors()']);
  });

  it('an alarm refetches its gateway’s events (the banners), a presence change the gateways', async () => {
    const { api, calls } = fakeApi({ devices: [{ id: 'g' }] });
    const data = new AppData(api, () => 50, 'UTC');
    data.devices.subscribe(() => undefined);
    data.events.get('g').subscribe(() => undefined);
    data.events.get('h').subscribe(() => undefined);
    await settle();
    calls.length = 0;
    applyLiveEvent(data, { type: 'event', topic: 'events', event: { type: 'event.raised', gatewayId: 'g', event: { type: 'gas_alarm', sensorId: 'g:gas', state: 'raised', severity: 'critical', message: 'Gas', at: 5 } } });
    await settle();
    assert.deepEqual(calls, ['deviceEvents(g)']);
    calls.length = 0;
    applyLiveEvent(data, { type: 'event', topic: 'presence', event: { type: 'presence.changed', gatewayId: 'g', presence: 'offline', at: 6 } });
    await settle();
    assert.deepEqual(calls, ['devices()']);
  });

  it('news of a gateway the list does not know (it just registered) refetches the gateways', async () => {
    const { api, calls } = fakeApi({ devices: [{ id: 'g' }], latest });
    const data = new AppData(api, () => 50, 'UTC');
    data.devices.subscribe(() => undefined);
    await settle();
    calls.length = 0;
    applyLiveEvent(data, readings(2_000, 55));
    await settle();
    assert.deepEqual(calls, [], 'a known gateway');
    applyLiveEvent(data, { ...readings(2_000, 55), event: { type: 'readings.ingested', gatewayId: 'new', readings: [] } } as LiveEvent);
    await settle();
    assert.deepEqual(calls, ['devices()']);
  });

  it('a notification lands in the inbox and the unread list at once, once', async () => {
    const { api, calls } = fakeApi({ notifications: [note('old', 1)] });
    const data = new AppData(api, () => 50, 'UTC');
    data.notifications.subscribe(() => undefined);
    await settle();
    calls.length = 0;
    const event: LiveEvent = { type: 'event', topic: 'notifications', event: { type: 'notification.created', notification: note('new') } };
    applyLiveEvent(data, event);
    applyLiveEvent(data, event);
    assert.deepEqual(data.notifications.state.data?.map((n) => n.id), ['new', 'old']);
    assert.deepEqual(calls, [], 'no refetch of what the message carried');
    // Another page's unread list not loaded yet (no subscriber): left to load itself.
    assert.equal(data.unread.state.data, undefined);
  });

  it('an order change refetches that order, the order list and the tanks\' analytics shown, not other orders', async () => {
    const { api, calls } = fakeApi({ order: { id: 'o1' }, tankAnalytics: { tankId: 't1' } });
    const data = new AppData(api, () => 50, 'UTC');
    const off = [data.orders.subscribe(() => undefined), data.order.get('o1').subscribe(() => undefined), data.order.get('o2').subscribe(() => undefined), data.tankAnalytics.get('t1|30').subscribe(() => undefined)];
    await settle();
    calls.length = 0;
    applyLiveEvent(data, { type: 'event', topic: 'orders', event: { type: 'order.changed', order: { id: 'o1', number: 'WO-1', tankId: 't1', status: 'scheduled', action: 'schedule', at: 40 } } });
    await settle();
    assert.deepEqual(calls.sort(), ['order(o1)', 'orders()', 'tankAnalytics(t1,UTC)']);
    off.forEach((o) => o());
  });
});
