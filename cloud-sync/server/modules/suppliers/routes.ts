/** /api/suppliers: the suppliers serving a postal code, with their price for a volume. */
import { Type } from 'typebox';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { SupplierQuoteQuery, SupplierSearchQuery, SupplierView } from './schemas.js';
import { SuppliersService, supplierView } from './service.js';

const config = requirePermission('suppliers:browse');

/** Registered with the prefix /api/suppliers. */
export const suppliersModule = userScope((app: CloudApp) => {
  const suppliers = new SuppliersService(app.cloud.repo);
  const tags = ['suppliers'];

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'searchSuppliers',
        tags,
        summary: 'Active suppliers serving a postal code, for a product',
        description: 'With litres, each carries a `quote`: its price for that volume from its tiers (null when the volume is outside them).',
        querystring: SupplierSearchQuery,
        response: { 200: ok(Type.Array(SupplierView), 'The suppliers, by company name.') },
      },
    },
    async (request) => {
      const { postalCode, product, litres } = request.query;
      return (await suppliers.search(postalCode, product)).map((s) => supplierView(s, litres === undefined ? undefined : { product, litres }));
    },
  );

  app.get(
    '/:id',
    {
      config,
      schema: {
        operationId: 'getSupplier',
        tags,
        summary: 'One supplier, with a quote when product and litres are given', description: 'An active supplier by id: its service areas, price tiers, rating and average response time; an inactive or unknown one answers 404.',
        params: IdParams,
        querystring: SupplierQuoteQuery,
        response: { 200: ok(SupplierView, 'The supplier.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const { product, litres } = request.query;
      return supplierView(await suppliers.get(request.params.id), product === undefined || litres === undefined ? undefined : { product, litres });
    },
  );
});
