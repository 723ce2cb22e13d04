/** GET /api/supplier/customers: the supplier's customers' tanks by forecast reorder date. */
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { SupplierCustomersPage, SupplierCustomersQuery } from './schemas.js';
import { SupplierCustomersService } from './customers-service.js';

/** Registered with the prefix /api/supplier/customers. */
export const supplierCustomersModule = userScope((app: CloudApp) => {
  const customers = new SupplierCustomersService(app.cloud.repo, app.cloud.clock);
  app.get(
    '',
    {
      config: requirePermission('supplier:orders'),
      schema: {
        operationId: 'listSupplierCustomers',
        tags: ['supplier'],
        summary: "Your customers' tanks, soonest forecast reorder date first",
        description:
          'The tanks that prefer you or have had an order placed with you: customer, tank, level and its age, the forecast "reorder by" and "empty by" ' +
          'dates with their P10–P90 band, and the open order with you. Sorted by reorder date; tanks with no forecast come last, each with the reason. ' +
          'Read from the forecasts the cloud makes every hour from the rollups; another supplier\'s customers never appear. Page with `limit` and `cursor`.',
        querystring: SupplierCustomersQuery,
        response: { 200: ok(SupplierCustomersPage, 'A page of tanks and the cursor of the next.'), ...fails('EASYGAS_VALIDATION') },
      },
    },
    async (request) => customers.list(currentActor(request), request.query),
  );
});
