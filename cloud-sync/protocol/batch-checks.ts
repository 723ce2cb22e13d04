/**
 * What a schema cannot say about a batch: its records lie inside the range it
 * claims to cover, in strictly increasing seq order, and downsampled spans are
 * well-formed. The cloud rejects a batch that fails these (400) because accepting
 * it would let the watermark claim records that were never sent.
 */
import type { IngestBatch } from './records.js';
import { MAX_EVENT_DATA_BYTES, MAX_EVENT_DATA_DEPTH } from './records.js';
import { formatPath, type Issue } from './issues.js';

export function checkBatch(batch: IngestBatch): Issue[] {
  const issues: Issue[] = [];
  if (batch.lastSeq < batch.afterSeq) {
    issues.push({ path: 'lastSeq', message: `must be at least afterSeq (${batch.afterSeq}); it is ${batch.lastSeq}` });
    return issues;
  }
  let previous = batch.afterSeq;
  batch.records.forEach((record, i) => {
    const at = (...rest: (string | number)[]): string => formatPath(['records', i, ...rest]);
    if (record.seq <= batch.afterSeq || record.seq > batch.lastSeq) {
      issues.push({
        path: at('seq'),
        message: `${record.seq} is outside the batch's range: afterSeq < seq ≤ lastSeq (${batch.afterSeq} < seq ≤ ${batch.lastSeq})`,
      });
    } else if (record.seq <= previous) {
      issues.push({ path: at('seq'), message: `must be greater than the previous record's seq (${previous}): records go in seq order, once each` });
    }
    previous = Math.max(previous, record.seq);
    if (record.record === 'reading' && record.downsampled !== undefined) {
      const span = record.downsampled;
      if (span.seqEnd <= record.seq) issues.push({ path: at('downsampled', 'seqEnd'), message: `must be above the row's seq (${record.seq})` });
      if (span.atEnd < record.at) issues.push({ path: at('downsampled', 'atEnd'), message: `must not be before the row's at (${record.at})` });
      if (span.min > span.max) issues.push({ path: at('downsampled', 'min'), message: `must not exceed max (${span.max})` });
    }
    if (record.record === 'event' && record.data !== undefined) {
      const problem = jsonShapeProblem(record.data, MAX_EVENT_DATA_DEPTH, MAX_EVENT_DATA_BYTES);
      if (problem !== undefined) issues.push({ path: at('data'), message: problem });
    }
  });
  return issues;
}

/**
 * Why a parsed JSON value is too deep or too large, without recursion (a hostile
 * 100 000-level nesting must not overflow the stack), or undefined when it is fine.
 */
export function jsonShapeProblem(value: unknown, maxDepth: number, maxBytes: number): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    if (++nodes > maxBytes) return `must be at most ${maxBytes} bytes of JSON`;
    if (top.value === null || typeof top.value !== 'object') continue;
    if (top.depth > maxDepth) return `must be nested at most ${maxDepth} levels deep`;
    const children = Array.isArray(top.value) ? top.value : Object.values(top.value as Record<string, unknown>);
    for (const child of children) stack.push({ value: child, depth: top.depth + 1 });
  }
  // Shallow and with few nodes, so stringify is safe here.
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  return bytes > maxBytes ? `must be at most ${maxBytes} bytes of JSON (it is ${bytes})` : undefined;
}
