/**
 * The cloud's modules, one per domain, each a Fastify plugin registered with its
 * prefix. A module's user routes sit in a user scope and its gateway routes in a
 * gateway scope (auth/scopes.ts); see docs/architecture.md, "The cloud's modules".
 */
import type { CloudApp } from '../context.js';
import { accountsModule } from './accounts/routes.js';
import { alertsModule } from './alerts/routes.js';
import { analyticsModule } from './analytics/routes.js';
import { channelsModule } from './channels/routes.js';
import { devicesModule } from './devices/routes.js';
import { notificationsModule } from './notifications/routes.js';
import { operationsModule } from './operations/routes.js';
import { ordersModule } from './orders/routes.js';
import { paymentWebhookModule } from './orders/payment-webhook-routes.js';
import { supplierOrdersModule } from './orders/supplier-routes.js';
import { suppliersModule } from './suppliers/routes.js';
import { supplierCustomersModule } from './suppliers/customers-routes.js';
import { iotModule, tankDeviceCredentialModule } from './tanks/device-routes.js';
import { tanksModule } from './tanks/routes.js';
import { sensorsModule } from './sensors/routes.js';
import { syncModule } from './sync/routes.js';

export async function registerModules(app: CloudApp): Promise<void> {
  await app.register(accountsModule, { prefix: '/api' });
  await app.register(devicesModule, { prefix: '/api/devices' });
  // The gateway protocol's own paths (under /api/devices and /api/sensors), unchanged for gateways in the field.
  await app.register(syncModule);
  await app.register(sensorsModule, { prefix: '/api/sensors' });
  await app.register(alertsModule, { prefix: '/api/alerts' });
  await app.register(notificationsModule, { prefix: '/api/notifications' });
  await app.register(tanksModule, { prefix: '/api/tanks' });
  await app.register(analyticsModule, { prefix: '/api/tanks' });
  await app.register(tankDeviceCredentialModule, { prefix: '/api/tanks' });
  await app.register(iotModule, { prefix: '/api/iot' });
  await app.register(suppliersModule, { prefix: '/api/suppliers' });
  await app.register(ordersModule, { prefix: '/api/orders' });
  await app.register(supplierOrdersModule, { prefix: '/api/supplier/orders' });
  await app.register(supplierCustomersModule, { prefix: '/api/supplier/customers' });
  await app.register(paymentWebhookModule, { prefix: '/api/payments' });
  await app.register(channelsModule, { prefix: '/api' });
  await app.register(operationsModule);
}
