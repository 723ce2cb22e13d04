import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvFileName, historyCsv } from './csv.js';

describe('CSV download', () => {
  it('one row per bucket, UTC and local time, units in the header', () => {
    const at = Date.UTC(2026, 6, 1, 23, 30);
    const csv = historyCsv([{ at, min: 40.5, avg: 41, max: 41.5, count: 10 }], '%', 'Europe/Paris');
    assert.equal(csv, 'time_utc,time_local (Europe/Paris),min (%),avg (%),max (%),readings\r\n2026-07-01T23:30:00.000Z,2026-07-02 01:30:00,40.5,41,41.5,10\r\n');
  });

  it('names the file after the sensor and the range', () => {
    assert.equal(csvFileName('LPG cylinder (47 kg)', Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 8)), 'lpg-cylinder-47-kg_2026-03-01_2026-03-08.csv');
  });
});
