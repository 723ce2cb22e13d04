import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { DeferredTask } from './deferred-task.js';

test('runs once, after its delay', async () => {
  const clock = new ManualClock();
  let runs = 0;
  const task = new DeferredTask(clock, () => runs++);
  task.schedule(1000);
  assert.equal(task.scheduled, true);
  await clock.advance(999);
  assert.equal(runs, 0);
  await clock.advance(1);
  assert.equal(runs, 1);
  assert.equal(task.scheduled, false);
  await clock.advance(10_000);
  assert.equal(runs, 1);
});

test('scheduling again keeps the earlier time; a sooner time wins', async () => {
  const clock = new ManualClock();
  const at: number[] = [];
  const task = new DeferredTask(clock, () => at.push(clock.monotonic()));
  task.schedule(1000);
  task.schedule(5000);
  await clock.advance(1000);
  assert.deepEqual(at, [1000]);
  task.schedule(5000);
  task.schedule(100);
  await clock.advance(6000);
  assert.deepEqual(at, [1000, 1100]);
});

test('cancel stops it', async () => {
  const clock = new ManualClock();
  let runs = 0;
  const task = new DeferredTask(clock, () => runs++);
  task.schedule(10);
  task.cancel();
  await clock.advance(100);
  assert.equal(runs, 0);
});
