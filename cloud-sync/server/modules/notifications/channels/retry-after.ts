/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Answers the wait
 * in ms from `now`, or undefined when absent or unreadable (the worker's own
 * back-off applies then). A provider asking for days is capped: an alarm waits for
 * no one that long, and the worker gives up on its own schedule.
 */
export const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const first: string | undefined = typeof value === 'string' ? value : value?.[0];
  const text = first?.trim();
  if (text === undefined || text === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1_000;
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/GMT$|UTC$/i.test(text)) return undefined;
    ms = at - now;
  }
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
