/**
 * Reading a /metrics answer as a Prometheus server would, and stricter: every line
 * must be a HELP, a TYPE or a sample of the family those two just declared, names
 * and label syntax as the text format 0.0.4 has them, no series twice. Values and
 * unescaped label values come from an independent parser
 * (parse-prometheus-text-format).
 */
import assert from 'node:assert/strict';
import parse, { type ParsedFamily } from 'parse-prometheus-text-format';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL})(?:,${LABEL})*\\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$`);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

export interface Scrape {
  readonly families: ReadonlyMap<string, ParsedFamily>;
  /** The value of one series; undefined when absent. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
  /** Every series of a family with its labels. */
  series(name: string): readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

/** The format's numbers: Go's float syntax, with +Inf, -Inf and NaN. */
function toNumber(text: string | undefined): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export function readExposition(text: string): Scrape {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a line feed');
  const declared = new Map<string, { help: boolean; type?: string }>();
  const seen = new Set<string>();
  let current: string | undefined;
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${i + 1}: ${line}`;
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help !== null) {
      const name = help[1] ?? '';
      assert.equal(declared.has(name), false, `${where}: ${name} declared twice`);
      declared.set(name, { help: true });
      current = name;
      assert.match(help[2] ?? '', /^(?:[^\\]|\\[\\n])*$/, `${where}: HELP escapes only \\ and \n`);
    } else if (type !== null) {
      assert.equal(type[1], current, `${where}: TYPE right after its HELP`);
      const entry = declared.get(type[1] ?? '');
      assert.ok(entry !== undefined && entry.type === undefined, `${where}: one TYPE per family`);
      entry.type = type[2];
    } else {
      const sample = SAMPLE.exec(line);
      assert.ok(sample !== null, `${where}: not a valid sample line`);
      assert.equal(sample[1], current, `${where}: a sample of the family declared just above`);
      assert.ok(declared.get(current ?? '')?.type !== undefined, `${where}: sample before its TYPE`);
      if (declared.get(current ?? '')?.type === 'counter') assert.match(current ?? '', /_total$/, `${where}: counters end in _total`);
      const series = `${sample[1]}${sample[2] ?? ''}`;
      assert.equal(seen.has(series), false, `${where}: the same series twice`);
      seen.add(series);
    }
  }
  const families = new Map(parse(text).map((f) => [f.name, f]));
  const matches = (want: Readonly<Record<string, string>>, have: Readonly<Record<string, string>> | undefined): boolean =>
    Object.entries(want).every(([k, v]) => have?.[k] === v);
  return {
    families,
    value(name, labels = {}) {
      const found = families.get(name)?.metrics.find((m) => matches(labels, m.labels));
      return found?.value === undefined ? undefined : toNumber(found.value);
    },
    series(name) {
      return (families.get(name)?.metrics ?? []).map((m) => ({ labels: m.labels ?? {}, value: toNumber(m.value) }));
    },
  };
}
