/** The tank form's values as text (what the inputs hold) and their check into an API body, naming each bad field. */
import type { Product, Tank, TankDraft } from '../api/types.js';

export interface TankFormValues {
  name: string;
  product: Product;
  capacityLitres: string;
  lowThreshold: string;
  reorderLevel: string;
  sensorId: string;
  preferredSupplierId: string;
  autoOrder: boolean;
  street: string;
  city: string;
  postalCode: string;
  country: string;
  accessNotes: string;
}

export const PRODUCT_WORDS: Readonly<Record<Product, string>> = { lpg: 'LPG (propane)', water: 'Water', heating_oil: 'Heating oil' };

export function tankFormValues(tank?: Tank): TankFormValues {
  return {
    name: tank?.name ?? '',
    product: tank?.product ?? 'lpg',
    capacityLitres: tank === undefined ? '' : String(tank.capacityLitres),
    lowThreshold: String(tank?.lowThreshold ?? 20),
    reorderLevel: String(tank?.reorderLevel ?? 25),
    sensorId: tank?.sensorId ?? '',
    preferredSupplierId: tank?.preferredSupplierId ?? '',
    autoOrder: tank?.autoOrder ?? false,
    street: tank?.address.street ?? '',
    city: tank?.address.city ?? '',
    postalCode: tank?.address.postalCode ?? '',
    country: tank?.address.country ?? 'GB',
    accessNotes: tank?.accessNotes ?? '',
  };
}

export type TankFormErrors = Partial<Record<keyof TankFormValues, string>>;

const percentError = (text: string): string | undefined => {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100 ? 'A percent from 0 to 100.' : undefined;
};

export function checkTankForm(v: TankFormValues): { ok: true; body: TankDraft } | { ok: false; errors: TankFormErrors } {
  const errors: TankFormErrors = {};
  if (v.name.trim() === '') errors.name = 'Give the tank a name.';
  const capacity = Number(v.capacityLitres);
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1_000_000) errors.capacityLitres = 'Whole litres, from 1 to 1,000,000.';
  const low = percentError(v.lowThreshold);
  if (low !== undefined) errors.lowThreshold = low;
  const reorder = percentError(v.reorderLevel);
  if (reorder !== undefined) errors.reorderLevel = reorder;
  if (v.street.trim() === '') errors.street = 'The street, for the delivery.';
  if (v.city.trim() === '') errors.city = 'The town or city.';
  if (v.postalCode.trim() === '') errors.postalCode = 'The postal code: suppliers serve by postal code.';
  if (!/^[A-Za-z]{2}$/.test(v.country.trim())) errors.country = 'Two letters, e.g. GB.';
  if (v.autoOrder && v.preferredSupplierId === '') errors.preferredSupplierId = 'Auto-order needs a preferred supplier.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      name: v.name.trim(),
      product: v.product,
      capacityLitres: capacity,
      lowThreshold: Number(v.lowThreshold),
      reorderLevel: Number(v.reorderLevel),
      autoOrder: v.autoOrder,
      preferredSupplierId: v.preferredSupplierId === '' ? null : v.preferredSupplierId,
      sensorId: v.sensorId === '' ? null : v.sensorId,
      address: { street: v.street.trim(), city: v.city.trim(), postalCode: v.postalCode.trim(), country: v.country.trim().toUpperCase() },
      accessNotes: v.accessNotes.trim() === '' ? null : v.accessNotes.trim(),
    },
  };
}
