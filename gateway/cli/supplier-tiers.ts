/**
 * The price tiers a supplier is created with, as an operator types them:
 * `lpg=100-499:0.9000,500-:0.8523` — litre ranges (the last may be open) and a price
 * per litre with up to four decimals, read as an exact integer of 1/10,000 (never a
 * float). Gaps and overlaps are the cloud's tier check's to refuse.
 */
/** One tier as the cloud's price-tiers take it (the gateway imports nothing of the cloud but main.ts). */
export interface PriceTier {
  readonly minVolume: number;
  readonly maxVolume: number | null;
  readonly pricePerLitre: number;
}

export const PRODUCT_NAMES = ['lpg', 'water', 'heating_oil'] as const;
export type ProductName = (typeof PRODUCT_NAMES)[number];

/** "0.8523" → 8523; undefined when not a plain decimal with at most four places. */
export function parsePricePerLitre(text: string): number | undefined {
  const match = /^(\d{1,6})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * 10_000 + Number((match[2] ?? '').padEnd(4, '0'));
}

export type ParsedTiers = { readonly ok: true; readonly product: ProductName; readonly tiers: PriceTier[] } | { readonly ok: false; readonly problem: string };

export function parseTiers(spec: string): ParsedTiers {
  const [product, list] = spec.split('=', 2);
  if (!PRODUCT_NAMES.includes(product as ProductName) || list === undefined) return { ok: false, problem: `"${spec}": start with a product (${PRODUCT_NAMES.join(', ')}) and =, e.g. lpg=100-499:0.9000,500-:0.8523` };
  const tiers: PriceTier[] = [];
  for (const part of list.split(',')) {
    const match = /^(\d+)-(\d*):(.+)$/.exec(part.trim());
    const price = match === null ? undefined : parsePricePerLitre(match[3] ?? '');
    if (match === null || price === undefined) return { ok: false, problem: `"${part}": a tier is MIN-MAX:PRICE (MAX may be empty on the last), e.g. 500-:0.8523` };
    tiers.push({ minVolume: Number(match[1]), maxVolume: match[2] === '' ? null : Number(match[2]), pricePerLitre: price });
  }
  return { ok: true, product: product as ProductName, tiers };
}
