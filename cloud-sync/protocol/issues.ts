/**
 * One problem with a message, located by a readable path ("records[3].value"), as
 * both the cloud's 400 answers and the gateway's own checks report it.
 */
export interface Issue {
  /** Dotted path with array indices, e.g. "records[3].downsampled.seqEnd"; "" for the whole value. */
  readonly path: string;
  readonly message: string;
}

/** ["records", 3, "value"] → "records[3].value". */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A JSON pointer ("/records/3/value") as path segments; digits become indices. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** "records[3].value: must be a number; afterSeq: …" — one line for logs and error messages. */
export function describeIssues(issues: readonly Issue[], limit = 5): string {
  const shown = issues.slice(0, limit).map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : '';
  return `${shown.join('; ')}${more}`;
}
