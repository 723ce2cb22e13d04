/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: one HELP
 * and one TYPE line per family, then its samples. Names are checked (a bad one is a
 * bug here, so it throws); HELP text and label values are escaped as the format
 * says. The gateway builds its families fresh at each scrape, from the figures its
 * parts already keep, so nothing here holds state.
 */

export type MetricType = 'counter' | 'gauge';

export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** HELP text: backslash and line feed escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelSet(labels: Readonly<Record<string, string>> | undefined, family: string): string {
  if (labels === undefined) return '';
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  for (const name of names) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`bad label name ${JSON.stringify(name)} on ${family}`);
  }
  return `{${names.map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`).join(',')}}`;
}

export function renderExposition(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`bad metric name ${JSON.stringify(family.name)}`);
    if (seen.has(family.name)) throw new Error(`metric ${family.name} written twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${labelSet(sample.labels, family.name)} ${formatValue(sample.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One unlabelled sample. */
export function single(name: string, type: MetricType, help: string, value: number): MetricFamily {
  return { name, type, help, samples: [{ value }] };
}

/** A state set: one sample per possible state, 1 for the current one, 0 for the others. */
export function stateSet(states: readonly string[], current: string | undefined, labels: Readonly<Record<string, string>> = {}, label = 'state'): Sample[] {
  return states.map((state) => ({ labels: { ...labels, [label]: state }, value: state === current ? 1 : 0 }));
}
