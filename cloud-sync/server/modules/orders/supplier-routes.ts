/** /api/supplier/orders: the orders placed with the signed-in supplier, and its status changes. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { OrderView, SupplierOrderListQuery, SupplierStatusBody } from './schemas.js';
import { SupplierOrdersService } from './supplier-service.js';
import { orderView } from './views.js';

const config = requirePermission('supplier:orders');

/** Registered with the prefix /api/supplier/orders. */
export const supplierOrdersModule = userScope((app: CloudApp) => {
  const orders = new SupplierOrdersService(app.cloud.repo, app.cloud.clock);
  const tags = ['supplier'];

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'listSupplierOrders',
        tags,
        summary: 'Orders placed with you, newest first', description: 'The orders customers placed with your supplier profile, optionally by status; an account without a profile has none.',
        querystring: SupplierOrderListQuery,
        response: { 200: ok(Type.Array(OrderView), 'The orders (empty for an account without a supplier profile).') },
      },
    },
    async (request) => (await orders.list(currentActor(request), request.query)).map((o) => orderView(o, 'supplier')),
  );

  app.get(
    '/:id',
    { config, schema: { operationId: 'getSupplierOrder', tags, summary: 'One order placed with you', description: 'The order with its history and delivery address; an order placed with another supplier answers 404.', params: IdParams, response: { 200: ok(OrderView, 'The order with its history.'), ...fails('EASYGAS_NOT_FOUND') } } },
    async (request) => orderView(await orders.get(currentActor(request), request.params.id), 'supplier'),
  );

  app.patch(
    '/:id/status',
    {
      config,
      // Room for a 200 KB signature image in base64 with the rest of the body.
      bodyLimit: app.cloud.settings.proofBodyLimitBytes,
      schema: {
        operationId: 'setSupplierOrderStatus',
        tags,
        summary: 'Acknowledge, schedule, dispatch, deliver or reject an order',
        description:
          '`acknowledged`; `scheduled` with `window` (again to move it); `in_transit`; `delivered` with `actualLitres` (and `driverNotes`), which issues the invoice number; `cancelled` with `reason` (a rejection). ' +
          'A change not allowed from the status now — or beaten by another change — is a 409 with `current` and `allowed`.',
        params: IdParams,
        body: SupplierStatusBody,
        response: { 200: ok(OrderView, 'The order as changed.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_ORDER_STATE') },
      },
    },
    async (request) => orderView(await orders.setStatus(currentActor(request), request.params.id, request.body), 'supplier'),
  );
});
