/** The tank, supplier, order and tank-analytics shapes, from the server's schemas (`import type` only). */
import type { Static } from 'typebox';
import type { TankAnalyticsView } from '../../../server/modules/analytics/schemas.js';
import type { OrderCreateBody, OrderView, WindowSchema } from '../../../server/modules/orders/schemas.js';
import type { SupplierView } from '../../../server/modules/suppliers/schemas.js';
import type { AddressSchema, CurrentLevelView, ProductSchema, TankCreateBody, TankLevelView, TankPatchBody, TankView } from '../../../server/modules/tanks/schemas.js';

export type Tank = Static<typeof TankView>;
export type TankDraft = Static<typeof TankCreateBody>;
export type TankChange = Static<typeof TankPatchBody>;
export type TankLevel = Static<typeof TankLevelView>;
export type CurrentTankLevel = Static<typeof CurrentLevelView>;
export type Product = Static<typeof ProductSchema>;
export type Address = Static<typeof AddressSchema>;
export type TankAnalytics = TankAnalyticsView;
export type Forecast = TankAnalytics['forecast'];
export type ForecastOutcome = Forecast['reorderBy'];
export type Supplier = Static<typeof SupplierView>;
export type Order = Static<typeof OrderView>;
export type OrderStatus = Order['status'];
export type OrderAction = Order['allowedActions'][number];
export type OrderDraft = Static<typeof OrderCreateBody>;
export type DeliveryWindow = Static<typeof WindowSchema>;
