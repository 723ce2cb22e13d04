/** A tank's stored forecast (tank_forecasts) and a supplier's customer list built from it. */
import type { OrderStatus } from '../modules/orders/order-status.js';
import type { Product } from './order-types.js';

/** One date with its band, or the reason there is none. */
export type StoredDate = { readonly at: number; readonly p10: number; readonly p90: number | null } | { readonly reason: string };

export interface StoredForecast {
  readonly level: { readonly at: number; readonly percent: number } | null;
  readonly reorderBy: StoredDate;
  readonly emptyBy: StoredDate;
}

export interface SupplierCustomerTank {
  readonly tankId: string;
  readonly tankName: string;
  readonly product: Product;
  readonly customer: { readonly name: string; readonly email: string };
  /** Null when the hourly analysis has not looked at the tank yet (no sensor, or new). */
  readonly forecast: (StoredForecast & { readonly computedAt: number }) | null;
  /** The tank's open order with this supplier. */
  readonly openOrder: { readonly id: string; readonly number: string; readonly status: OrderStatus; readonly litres: number } | null;
}

/** Where the next page starts: after this reorder date (null: among the tanks with none) and tank id. */
export interface CustomerCursor {
  readonly reorderBy: number | null;
  readonly tankId: string;
}

export interface TankForecastRepository {
  /** Replaces the tank's stored forecast. */
  save(tankId: string, forecast: StoredForecast, now: number): Promise<void>;
  /** Drops the forecasts of tanks no longer linked to a sensor (the hourly analysis no longer refreshes them); how many. */
  forgetUnsensed(): Promise<number>;
  /**
   * The supplier's customers' tanks — those preferring it or with an order placed
   * with it — by forecast reorder date, tanks with none last, then by id; at most
   * `limit`, after `cursor`.
   */
  supplierCustomers(supplierId: string, page: { readonly limit: number; readonly after?: CustomerCursor }): Promise<SupplierCustomerTank[]>;
}
