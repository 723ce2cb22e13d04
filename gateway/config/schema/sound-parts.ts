/**
 * Cross-field checks that still run when other parts of the value failed to parse,
 * so one typo does not hide every other mistake ("report every error at once").
 *
 * zod skips a refinement once a field has failed; with `when` it runs anyway, on a
 * value whose failed parts are still raw input. A check must therefore look only at
 * the parts `sound()` vouches for: nothing at or below that path produced an issue,
 * so the part holds its parsed output.
 */
import type { z } from 'zod';

export type PathKey = string | number;

export interface Parts {
  /** True when nothing at or below this path (relative to the checked value) failed. */
  sound(...path: readonly PathKey[]): boolean;
  /** Reports a problem at a path relative to the checked value. */
  issue(path: readonly PathKey[], message: string): void;
}

interface IssueLike {
  readonly code?: string | undefined;
  readonly path?: readonly PropertyKey[] | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pass as superRefine's second argument: run the check whenever the value is an object. */
export const evenWhenPartsFail = {
  when: (payload: { readonly value: unknown }): boolean => isRecord(payload.value),
};

function isPrefix(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/**
 * Whether an issue leaves the part at `path` unparsed: any issue at or below it does;
 * one above it does unless it leaves its object's fields parsed (an unknown key, or
 * a refinement's complaint).
 */
function taints(issue: IssueLike, path: readonly PathKey[]): boolean {
  const at = issue.path ?? [];
  if (isPrefix(path, at)) return true;
  return isPrefix(at, path) && issue.code !== 'unrecognized_keys' && issue.code !== 'custom';
}

/** Wraps a refinement context; call it at the top of the check. */
export function partsOf(ctx: z.RefinementCtx): Parts {
  const failed: readonly IssueLike[] = [...(ctx.issues as readonly IssueLike[])];
  return {
    sound: (...path) => !failed.some((issue) => taints(issue, path)),
    issue: (path, message) => ctx.addIssue({ code: 'custom', path: [...path], message }),
  };
}
