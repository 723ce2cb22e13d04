/** A forecast outcome in words: the date and its P10–P90 band, or the reason there is none (never a made-up date). */
import type { ForecastOutcome } from '../api/types.js';
import type { Formats } from './format.js';

export function outcomeWords(label: string, outcome: ForecastOutcome, formats: Formats): string {
  if (!outcome.ok) return `${label}: no date — ${outcome.reason}`;
  const e = outcome.estimate;
  const band = e.p90 === null ? `not before ${formats.date(e.p10)}` : `between ${formats.date(e.p10)} and ${formats.date(e.p90)}`;
  return `${label} ${formats.date(e.at)} (${band})`;
}

/** "in 12 days", or the reason in short when there is no date. */
export function daysLeftWords(outcome: ForecastOutcome, formats: Formats): string {
  if (!outcome.ok) return outcome.reason;
  const d = outcome.estimate.days;
  return d < 1 ? 'within a day' : `in about ${formats.number(d, 0)} day${Math.round(d) === 1 ? '' : 's'}`;
}
