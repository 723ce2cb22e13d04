/**
 * Tips that save money, from the household's own use and its supplier's price
 * tiers. Each says what to do in words and carries the figures it rests on, so the
 * page can show its working; a tip whose figures are too thin is not given at all
 * (no "your weekend use is 3 % above weekdays" from two weekends).
 */
import { priceOrder, type PriceTier } from '../orders/price-tiers.js';
import type { Delivery } from './level-walk.js';
import { DAY } from './local-time.js';
import type { DayUse, Usage } from './usage.js';

export type TipKind = 'bigger_order' | 'weekend_use' | 'month_vs_last_year' | 'earlier_auto_order';

export interface Tip {
  readonly kind: TipKind;
  readonly text: string;
  readonly figures: Readonly<Record<string, number | string>>;
}

export interface TipOptions {
  readonly now: number;
  readonly capacityLitres: number | null;
  /** The tank's low threshold, percent: a delivery that found the tank below it was an emergency. */
  readonly lowPercent: number;
  /** The tank's reorder level, percent (what auto-order uses). */
  readonly reorderPercent: number;
  /** The preferred supplier's tiers, currency and lead time, when there is one. */
  readonly supplier?: { readonly tiers: readonly PriceTier[]; readonly currency: string; readonly leadTimeDays: number };
  readonly locale?: string;
}

/** Complete days a comparison rests on, at least, on each side. */
const MIN_DAYS = 6;
/** A difference worth saying, relative. */
const WORTH_SAYING = 0.2;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;
const complete = (days: readonly DayUse[]): DayUse[] => days.filter((d) => d.complete);

export function tips(usage: Usage, options: TipOptions): Tip[] {
  return [biggerOrder(usage.deliveries, options), weekendUse(usage.days), monthVsLastYear(usage.days, options.now), earlierAutoOrder(usage, options)].filter(
    (t): t is Tip => t !== null,
  );
}

/** The next price tier up, when a usual order could grow into it and still fit the tank. */
function biggerOrder(deliveries: readonly Delivery[], options: TipOptions): Tip | null {
  const { supplier, capacityLitres } = options;
  if (supplier === undefined || capacityLitres === null || capacityLitres <= 0) return null;
  // A usual order: the last deliveries' litres, else a fill from the reorder level to 80 %.
  const seen = deliveries.map((d) => d.litres).filter((l): l is number => l !== null && l > 0);
  const usual = Math.round(seen.length > 0 ? mean(seen.slice(-3)) : ((80 - options.reorderPercent) / 100) * capacityLitres);
  // The most a delivery can hold: from the reorder level to 85 % (LPG tanks are never filled above 85 %).
  const room = Math.floor(((85 - Math.min(options.reorderPercent, 85)) / 100) * capacityLitres);
  const now = priceOrder(supplier.tiers, usual, supplier.currency);
  if (!now.ok) return null;
  const next = supplier.tiers.find((t) => t.minVolume > usual && t.minVolume <= room && t.pricePerLitre < now.tier.pricePerLitre);
  if (next === undefined) return null;
  const saving = now.tier.pricePerLitre - next.pricePerLitre;
  const fmtPrice = (tenThousandths: number) => formatPricePerLitre(tenThousandths, supplier.currency, options.locale);
  return {
    kind: 'bigger_order',
    text: `Ordering ${next.minVolume} L instead of ${usual} L costs ${fmtPrice(saving)} less per litre (${fmtPrice(next.pricePerLitre)} instead of ${fmtPrice(now.tier.pricePerLitre)}), and fewer deliveries.`,
    figures: {
      usualLitres: usual,
      biggerLitres: next.minVolume,
      usualPricePerLitre: now.tier.pricePerLitre,
      biggerPricePerLitre: next.pricePerLitre,
      savingPerLitre: saving,
      currency: supplier.currency,
      priceDecimals: 4,
    },
  };
}

/** A price per litre (ten-thousandths of the currency) for people: "€0.0800". */
export function formatPricePerLitre(tenThousandths: number, currency: string, locale = 'en-GB'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(tenThousandths / 10_000);
}

/** Saturday and Sunday against Monday to Friday, per complete day. */
function weekendUse(days: readonly DayUse[]): Tip | null {
  const done = complete(days);
  const weekend = done.filter((d) => d.weekday === 0 || d.weekday === 6).map((d) => d.percent);
  const weekdays = done.filter((d) => d.weekday !== 0 && d.weekday !== 6).map((d) => d.percent);
  if (weekend.length < 4 || weekdays.length < 10) return null;
  const we = mean(weekend);
  const wd = mean(weekdays);
  if (!(wd > 0)) return null;
  const ratio = we / wd - 1;
  if (Math.abs(ratio) < WORTH_SAYING) return null;
  const pct = Math.round(Math.abs(ratio) * 100);
  return {
    kind: 'weekend_use',
    text: `Your weekend use is ${pct} % ${ratio > 0 ? 'above' : 'below'} weekdays (${round(we, 1)} % of the tank a day against ${round(wd, 1)} %).`,
    figures: { weekendPercentPerDay: round(we, 2), weekdayPercentPerDay: round(wd, 2), weekendDays: weekend.length, weekdayDays: weekdays.length, differencePercent: Math.round(ratio * 100) },
  };
}

/** The last 28 days against the same 28 days a year before (same weeks, so the season matches). */
function monthVsLastYear(days: readonly DayUse[], now: number): Tip | null {
  const byDate = new Map(complete(days).map((d) => [d.date, d]));
  const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);
  const recent: number[] = [];
  const lastYear: number[] = [];
  for (let i = 1; i <= 28; i++) {
    const r = byDate.get(dateOf(now - i * DAY));
    const y = byDate.get(dateOf(now - i * DAY - 364 * DAY)); // 52 weeks: the same weekdays
    if (r !== undefined) recent.push(r.percent);
    if (y !== undefined) lastYear.push(y.percent);
  }
  if (recent.length < MIN_DAYS * 2 || lastYear.length < MIN_DAYS * 2) return null;
  const now28 = mean(recent);
  const then28 = mean(lastYear);
  if (!(then28 > 0)) return null;
  const ratio = now28 / then28 - 1;
  if (Math.abs(ratio) < WORTH_SAYING) return null;
  return {
    kind: 'month_vs_last_year',
    text: `Over the last four weeks your use is ${Math.round(Math.abs(ratio) * 100)} % ${ratio > 0 ? 'above' : 'below'} the same weeks last year (${round(now28, 1)} % of the tank a day against ${round(then28, 1)} %).`,
    figures: { recentPercentPerDay: round(now28, 2), lastYearPercentPerDay: round(then28, 2), recentDays: recent.length, lastYearDays: lastYear.length, differencePercent: Math.round(ratio * 100) },
  };
}

/**
 * The last 60 days' emergency delivery (one that found the tank below its low
 * threshold): at the use rate before it and the supplier's lead time, the level at
 * which an automatic order would have arrived in time.
 */
function earlierAutoOrder(usage: Usage, options: TipOptions): Tip | null {
  const emergency = [...usage.deliveries].reverse().find((d) => d.at >= options.now - 60 * DAY && d.beforePercent < options.lowPercent);
  if (emergency === undefined) return null;
  const before = complete(usage.days).filter((d) => Date.parse(`${d.date}T12:00:00Z`) < emergency.at).slice(-14);
  if (before.length < MIN_DAYS) return null;
  const rate = mean(before.map((d) => d.percent));
  if (!(rate > 0)) return null;
  const leadDays = (options.supplier?.leadTimeDays ?? 3) + 2; // two days' margin for a late lorry
  const threshold = Math.min(80, Math.ceil((options.lowPercent + rate * leadDays) / 5) * 5);
  if (threshold <= options.reorderPercent) return null;
  const when = new Date(emergency.at).toISOString().slice(0, 10);
  return {
    kind: 'earlier_auto_order',
    text: `At your rate (${round(rate, 1)} % a day), auto-order at ${threshold} % would have avoided the emergency delivery on ${when}, which found the tank at ${round(emergency.beforePercent, 0)} %.`,
    figures: { suggestedReorderPercent: threshold, currentReorderPercent: options.reorderPercent, percentPerDay: round(rate, 2), leadTimeDays: leadDays, deliveryAt: emergency.at, levelBeforePercent: round(emergency.beforePercent, 1) },
  };
}
