/** An Outbox over an array, for the agent's tests: records seq 1..n, a cursor, and a count of reads. */
import type { OutboxRecord } from '../../protocol/index.js';
import type { Outbox, OutboxBacklog, OutboxLimits } from '../outbox.js';

export class MemoryOutbox implements Outbox {
  readonly records: OutboxRecord[] = [];
  ackedSeq = 0;

  append(count: number, at = 1_700_000_000_000): void {
    for (let i = 0; i < count; i++) {
      const seq = (this.records.at(-1)?.seq ?? 0) + 1;
      this.records.push({ record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', at: at + seq * 1000, value: 50, unit: '%', quality: 'ok', clockSynced: seq % 2 === 0 });
    }
  }

  read(afterSeq: number, limits: OutboxLimits): Promise<readonly OutboxRecord[]> {
    const out: OutboxRecord[] = [];
    let bytes = 0;
    for (const r of this.records) {
      if (r.seq <= afterSeq) continue;
      bytes += JSON.stringify(r).length;
      if (out.length > 0 && (out.length >= limits.maxRecords || bytes > limits.maxBytes)) break;
      out.push(r);
    }
    return Promise.resolve(out);
  }

  ack(seq: number): Promise<number> {
    this.ackedSeq = Math.max(this.ackedSeq, Math.min(seq, this.records.at(-1)?.seq ?? 0));
    return Promise.resolve(this.ackedSeq);
  }

  backlog(): Promise<OutboxBacklog> {
    return Promise.resolve({ ackedSeq: this.ackedSeq, records: this.records.filter((r) => r.seq > this.ackedSeq).length });
  }
}
