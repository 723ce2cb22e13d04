import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock, TimerHandle } from './clock.js';
import { LostTime, patientTimeout } from './lost-time.js';

/** A clock whose process can stall: time jumps, then every timer due meanwhile fires late, in order. */
class StallingClock implements Clock {
  #mono = 0;
  #id = 1;
  #timers: { id: number; due: number; fn: () => void }[] = [];
  now = (): number => 1_700_000_000_000 + this.#mono;
  monotonic = (): number => this.#mono;
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#id++;
    this.#timers.push({ id, due: this.#mono + ms, fn });
    return { id };
  }
  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }
  /** Runs on time for `ms`: each timer fires at its due time. */
  run(ms: number): void {
    const end = this.#mono + ms;
    for (;;) {
      const next = this.#next();
      if (next === undefined || next.due > end) break;
      this.#mono = Math.max(this.#mono, next.due);
      this.#fire(next);
    }
    this.#mono = end;
  }
  /** The process stops for `ms` (a GC pause, a suspended VM); then what is overdue fires, late. */
  stall(ms: number): void {
    this.#mono += ms;
    for (let next = this.#next(); next !== undefined && next.due <= this.#mono; next = this.#next()) this.#fire(next);
  }
  #next(): { id: number; due: number; fn: () => void } | undefined {
    return [...this.#timers].sort((a, b) => a.due - b.due || a.id - b.id)[0];
  }
  #fire(timer: { id: number; fn: () => void }): void {
    this.#timers = this.#timers.filter((t) => t.id !== timer.id);
    timer.fn();
  }
}

describe('LostTime', () => {
  it('counts a stall as lost, and nothing while the process keeps time', () => {
    const clock = new StallingClock();
    const meter = new LostTime(clock);
    const release = meter.acquire();
    clock.run(10_000);
    assert.equal(meter.lostSince(0), 0);
    clock.stall(4_000);
    clock.run(1_000);
    const lost = meter.lostSince(0);
    assert.ok(lost >= 3_750 && lost <= 4_000, `lost ${lost} ms of a 4 s stall`);
    assert.equal(meter.lostSince(clock.monotonic()), 0, 'nothing lost since now');
    release();
    assert.equal(meter.lostSince(0), 0, 'not measured while nobody holds it');
  });

  it('a timeout waits on for the time the process lost; a silent sensor still times out', () => {
    const clock = new StallingClock();
    let fired = -1;
    patientTimeout(clock, () => (fired = clock.monotonic()), 1_000);
    clock.run(200);
    clock.stall(3_000); // the deadline is overdue when the process runs again
    assert.equal(fired, -1, 'not blamed on the sensor when the process wakes up late');
    clock.run(2_000);
    assert.ok(fired >= 3_900 && fired <= 4_200, `fired at ${fired}: 1 s of time the process really waited`);
  });

  it('a cancelled timeout never fires', () => {
    const clock = new StallingClock();
    let fired = false;
    patientTimeout(clock, () => (fired = true), 1_000).cancel();
    clock.run(5_000);
    assert.equal(fired, false);
  });
});
