/** /api/orders: the customer's refill orders. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { TanksService } from '../tanks/service.js';
import { CancelBody, OrderCreateBody, OrderListQuery, OrderStatistics, OrderView, ProofView, RescheduleBody, ReviewBody } from './schemas.js';
import { OrdersService } from './service.js';
import { orderView } from './views.js';

const config = requirePermission('orders:own');

/** Registered with the prefix /api/orders. */
export const ordersModule = userScope((app: CloudApp) => {
  const { repo, clock } = app.cloud;
  const orders = new OrdersService(repo, clock, new TanksService(repo, clock));
  const tags = ['orders'];

  app.post(
    '',
    {
      config,
      schema: {
        operationId: 'placeOrder',
        tags,
        summary: 'Order a refill for one of your tanks',
        description:
          'From the chosen supplier (default: the tank\'s preferred one), `litres` or `fillTo` (80 or 95 % of capacity from the level now), in a window that is not in the past. ' +
          'The price comes from the supplier\'s volume tiers now and stays on the order. One open order per tank: a second answers 409 with the open one in `current`.',
        body: OrderCreateBody,
        response: { 201: ok(OrderView, 'The order was placed.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_ORDER_OPEN') },
      },
    },
    async (request, reply) => reply.status(201).send(orderView(await orders.place(currentActor(request), request.body), 'customer')),
  );

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'listOrders',
        tags,
        summary: 'Your orders, newest first (by status or tank)', description: 'Your orders without their history (GET /api/orders/{id} has it); filter by status or by one of your tanks.',
        querystring: OrderListQuery,
        response: { 200: ok(Type.Array(OrderView), 'The orders, newest first (without history).'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => (await orders.list(currentActor(request), request.query)).map((o) => orderView(o, 'customer')),
  );

  app.get(
    '/statistics',
    {
      config,
      schema: { operationId: 'getOrderStatistics', tags, summary: 'Orders, delivered litres and money spent per month; average time to delivery', description: 'Per calendar month (UTC) of placement: orders placed, delivered, litres delivered and money spent per currency; and the average time from placement to delivery.', response: { 200: ok(OrderStatistics, 'The statistics.') } },
    },
    async (request) => orders.statistics(currentActor(request)),
  );

  app.get(
    '/:id',
    { config, schema: { operationId: 'getOrder', tags, summary: 'One order with its status history', description: 'The order with every status change `{ status, action, at, by, notes }`, its review and the actions you may take now.', params: IdParams, response: { 200: ok(OrderView, 'The order.'), ...fails('EASYGAS_NOT_FOUND') } } },
    async (request) => orderView(await orders.get(currentActor(request), request.params.id), 'customer'),
  );

  app.get(
    '/:id/proof',
    {
      config,
      schema: {
        operationId: 'getOrderProof',
        tags,
        summary: 'The proof of delivery (the signature image)',
        description: 'The image the supplier gave with `delivered`, as `{ contentType, data }` (base64: show it as a `data:` URL). 404 when the order has none (or is not yours).',
        params: IdParams,
        response: { 200: ok(ProofView, 'The image.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => orders.proof(currentActor(request), request.params.id),
  );

  app.patch(
    '/:id/cancel',
    {
      config,
      schema: {
        operationId: 'cancelOrder',
        tags,
        summary: 'Cancel an order (until the truck leaves)', description: 'Allowed while placed, acknowledged or scheduled; otherwise (or when another change got there first) 409 with `current` and `allowed`.',
        params: IdParams,
        body: CancelBody,
        response: { 200: ok(OrderView, 'The order, cancelled.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_ORDER_STATE') },
      },
    },
    async (request) => orderView(await orders.cancel(currentActor(request), request.params.id, request.body.reason), 'customer'),
  );

  app.patch(
    '/:id/reschedule',
    {
      config,
      schema: {
        operationId: 'rescheduleOrder',
        tags,
        summary: 'Move the requested delivery window (until the truck leaves)', description: 'A window not in the past and not reversed (400 naming `window.start` or `window.end`); the status stays; the supplier is told through the order.',
        params: IdParams,
        body: RescheduleBody,
        response: { 200: ok(OrderView, 'The order with its new window.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_ORDER_STATE') },
      },
    },
    async (request) => orderView(await orders.reschedule(currentActor(request), request.params.id, request.body.window, request.body.notes), 'customer'),
  );

  app.post(
    '/:id/review',
    {
      config,
      schema: {
        operationId: 'reviewOrder',
        tags,
        summary: 'Review a delivered order (1–5 stars, once)', description: 'Only a delivered order (else 409 with its status); a second review answers 409 EASYGAS_ALREADY_REVIEWED. The supplier\'s rating is the average.',
        params: IdParams,
        body: ReviewBody,
        response: { 201: ok(OrderView, 'The order with its review.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_ORDER_STATE', 'EASYGAS_ALREADY_REVIEWED') },
      },
    },
    async (request, reply) => reply.status(201).send(orderView(await orders.review(currentActor(request), request.params.id, request.body), 'customer')),
  );
});
