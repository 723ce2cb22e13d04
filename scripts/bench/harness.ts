/**
 * The benchmark contract (docs/architecture.md, "Conventions"): every figure is printed beside
 * a baseline measured in the same run, as a ratio, never as a bare time; memory
 * figures carry their target. `npm run bench -- --json` prints one JSON array of
 * { name, value, unit, baseline, ratio, target, met }.
 */
export interface Target {
  /** What the target constrains: the ratio to the baseline, or the value itself. */
  readonly on: 'ratio' | 'value';
  readonly op: '>=' | '<=' | '<' | '>';
  readonly limit: number;
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity for the reference implementation, measured in this run. */
  readonly baseline?: number;
  /** What the baseline is, e.g. "raw better-sqlite3 batched inserts". */
  readonly baselineName?: string;
  readonly target?: Target;
  /** One line of context for the table (sizes, counts). */
  readonly note?: string;
}

export interface BenchContext {
  /** --quick: smaller sizes, for a smoke run in tests. */
  readonly quick: boolean;
  /** A fresh directory removed after the bench. */
  readonly tmpDir: string;
  readonly log: (message: string) => void;
}

export interface Bench {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<Figure[]>;
}

export interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly target: string | null;
  readonly met: boolean | null;
}

export function toResult(figure: Figure): Result {
  const ratio = figure.baseline !== undefined && figure.baseline !== 0 ? figure.value / figure.baseline : null;
  let met: boolean | null = null;
  let target: string | null = null;
  if (figure.target !== undefined) {
    const { on, op, limit } = figure.target;
    const subject = on === 'ratio' ? ratio : figure.value;
    target = `${on === 'ratio' ? 'ratio' : figure.unit} ${op} ${limit}`;
    if (subject !== null) {
      met = op === '>=' ? subject >= limit : op === '<=' ? subject <= limit : op === '<' ? subject < limit : subject > limit;
    }
  }
  return { name: figure.name, value: figure.value, unit: figure.unit, baseline: figure.baseline ?? null, ratio, target, met };
}

/** Percentile of a sample (nearest rank), for latency figures. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Runs `fn` repeatedly for at least `minMs` and returns operations per second. */
export async function rate(fn: () => Promise<number> | number, minMs = 1_000): Promise<number> {
  let ops = 0;
  const start = performance.now();
  let elapsed: number;
  do {
    ops += await fn();
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (ops * 1_000) / elapsed;
}
