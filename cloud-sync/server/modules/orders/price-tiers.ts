/**
 * A supplier's volume price tiers and the price of an order, in integer money.
 * A price per litre has four decimals of the currency (fuel is priced 0.8523 a
 * litre), held as an integer of ten-thousandths; an order's total is an integer in
 * the currency's minor unit (cents, or yen, or fils), rounded half up once, at the
 * end. No float ever holds money, so no cent is lost or invented at a tier boundary.
 */

/** ISO 4217 minor-unit digits for the currencies whose minor unit is not the usual 2. */
const MINOR_DIGITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, IQD: 3, LYD: 3 };

/** A price per litre's fixed decimals: an integer of 1/10,000 of the currency. */
export const PRICE_DECIMALS = 4;

export interface PriceTier {
  /** Litres, inclusive. */
  readonly minVolume: number;
  /** Litres, inclusive; null: no upper bound (only the last tier). */
  readonly maxVolume: number | null;
  /** Price per litre in 1/10,000 of the currency (0.8523 → 8523). */
  readonly pricePerLitre: number;
}

export interface Money {
  /** Integer, in the currency's minor unit. */
  readonly amount: number;
  /** ISO 4217, e.g. "EUR". */
  readonly currency: string;
}

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** What is wrong with a tier list, by index and field, or nothing when it is sound. */
export function tierProblems(tiers: readonly PriceTier[]): string[] {
  const problems: string[] = [];
  if (tiers.length === 0) return ['at least one price tier is needed'];
  tiers.forEach((t, i) => {
    if (!Number.isSafeInteger(t.minVolume) || t.minVolume < 1) problems.push(`tiers[${i}].minVolume: a whole number of litres, 1 or more`);
    if (t.maxVolume !== null && (!Number.isSafeInteger(t.maxVolume) || t.maxVolume < t.minVolume)) problems.push(`tiers[${i}].maxVolume: a whole number of litres, at least minVolume (${t.minVolume})`);
    if (!Number.isSafeInteger(t.pricePerLitre) || t.pricePerLitre <= 0) problems.push(`tiers[${i}].pricePerLitre: a positive whole number of 1/10,000 of the currency`);
    if (t.maxVolume === null && i !== tiers.length - 1) problems.push(`tiers[${i}].maxVolume: only the last tier may be open-ended`);
    const next = tiers[i + 1];
    if (next !== undefined && t.maxVolume !== null && next.minVolume !== t.maxVolume + 1) {
      problems.push(next.minVolume <= t.maxVolume ? `tiers[${i + 1}].minVolume: overlaps tier ${i} (which ends at ${t.maxVolume} L)` : `tiers[${i + 1}].minVolume: leaves a gap after ${t.maxVolume} L (should be ${t.maxVolume + 1})`);
    }
  });
  return problems;
}

export function tierFor(tiers: readonly PriceTier[], litres: number): PriceTier | undefined {
  return tiers.find((t) => litres >= t.minVolume && (t.maxVolume === null || litres <= t.maxVolume));
}

export type OrderPrice =
  | { readonly ok: true; readonly total: Money; readonly tier: PriceTier }
  | { readonly ok: false; readonly reason: string };

/** The total for `litres` (a whole number) at the tier it falls in, rounded half up to the minor unit. */
export function priceOrder(tiers: readonly PriceTier[], litres: number, currency: string): OrderPrice {
  if (!Number.isSafeInteger(litres) || litres < 1) return { ok: false, reason: 'litres: a whole number, 1 or more' };
  const tier = tierFor(tiers, litres);
  if (tier === undefined) {
    const first = tiers[0]?.minVolume;
    const last = tiers.at(-1)?.maxVolume;
    return { ok: false, reason: first !== undefined && litres < first ? `this supplier delivers at least ${first} L` : `this supplier delivers at most ${last ?? '?'} L` };
  }
  // litres × price (1/10^4) → minor units (1/10^digits): scale by 10^(digits − 4), rounding half up, in BigInt.
  const scale = PRICE_DECIMALS - minorDigits(currency);
  const exact = BigInt(litres) * BigInt(tier.pricePerLitre);
  const amount = scale <= 0 ? exact * 10n ** BigInt(-scale) : (exact + 5n * 10n ** BigInt(scale - 1)) / 10n ** BigInt(scale);
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'the total is too large to hold' };
  return { ok: true, total: { amount: Number(amount), currency }, tier };
}

/** "€1,234.56": for people; the stored amount stays an integer. */
export function formatMoney(money: Money, locale = 'en-GB'): string {
  const digits = minorDigits(money.currency);
  const magnitude = BigInt(Math.abs(money.amount)).toString().padStart(digits + 1, '0');
  const decimal = `${money.amount < 0 ? '-' : ''}${magnitude.slice(0, magnitude.length - digits)}${digits > 0 ? `.${magnitude.slice(-digits)}` : ''}`;
  // Intl formats an exact decimal string (no float on the way); the type lags behind the runtime.
  const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits }) as unknown as { format(value: string): string };
  return formatter.format(decimal);
}
