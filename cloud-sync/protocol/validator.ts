/**
 * A compiled check for any protocol schema, answering with precise issues: what the
 * cloud uses on every request and what the sync agent can use on DeviceConfig.
 */
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { explain } from './explain.js';
import { formatPath, pointerSegments, type Issue } from './issues.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: Issue[] };

export interface Validator<T> {
  check(value: unknown): value is T;
  /** Issues carry `prefix` before their path (e.g. ["query"]). */
  parse(value: unknown, prefix?: readonly (string | number)[]): Parsed<T>;
}

export function validator<S extends TSchema>(schema: S): Validator<Static<S>> {
  const compiled = Compile(schema);
  return {
    check: (value): value is Static<S> => compiled.Check(value),
    parse(value, prefix = []) {
      if (compiled.Check(value)) return { ok: true, value };
      const issues = explain(schema, value, prefix);
      if (issues.length > 0) return { ok: false, issues };
      // A keyword the explainer does not know: fall back to the validator's own words.
      const fallback = compiled
        .Errors(value)
        .slice(0, 5)
        .map((e) => ({ path: formatPath([...prefix, ...pointerSegments(e.instancePath)]), message: e.message }));
      return { ok: false, issues: fallback.length > 0 ? fallback : [{ path: formatPath(prefix), message: 'is not valid' }] };
    },
  };
}
