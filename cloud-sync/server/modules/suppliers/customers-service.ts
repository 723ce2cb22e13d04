/**
 * The supplier's customers' tanks, soonest reorder date first: what a supplier
 * plans its rounds on. Read from the forecasts the hourly tank analysis stores
 * (tank_forecasts), one page per request; the cursor is the last row's (reorder
 * date, tank id), opaque to the client.
 */
import type { Static } from 'typebox';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { apiError } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { CustomerCursor, StoredDate, SupplierCustomerTank } from '../../storage/tank-forecast-types.js';
import type { SupplierCustomersPage, SupplierCustomerView } from './schemas.js';

type Page = Static<typeof SupplierCustomersPage>;
type View = Static<typeof SupplierCustomerView>;

/** Said of a tank the hourly analysis has not looked at. */
export const NOT_ANALYSED = 'not forecast yet: forecasts are made every hour for tanks linked to a level sensor';

const DEFAULT_LIMIT = 50;

export function encodeCursor(c: CustomerCursor): string {
  return Buffer.from(JSON.stringify([c.reorderBy, c.tankId])).toString('base64url');
}

export function decodeCursor(text: string): CustomerCursor {
  try {
    const [reorderBy, tankId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if ((reorderBy === null || Number.isSafeInteger(reorderBy)) && typeof tankId === 'string') return { reorderBy: reorderBy as number | null, tankId };
  } catch {
    // Falls through to the error below.
  }
  throw apiError('EASYGAS_VALIDATION', { summary: 'invalid query: cursor: not a cursor this list gave' }, { issues: [{ path: 'query.cursor', message: "not a cursor this list gave: pass the previous page's nextCursor, or leave it out for the first page" }] });
}

const dateView = (d: StoredDate | undefined): View['reorderBy'] =>
  d === undefined ? { ok: false, reason: NOT_ANALYSED } : 'reason' in d ? { ok: false, reason: d.reason } : { ok: true, at: d.at, p10: d.p10, p90: d.p90 };

function view(t: SupplierCustomerTank, now: number): View {
  const level = t.forecast?.level ?? null;
  return {
    tankId: t.tankId,
    tankName: t.tankName,
    product: t.product,
    customer: { ...t.customer },
    levelPercent: level?.percent ?? null,
    levelAt: level?.at ?? null,
    levelAgeMs: level === null ? null : Math.max(0, now - level.at),
    reorderBy: dateView(t.forecast?.reorderBy),
    emptyBy: dateView(t.forecast?.emptyBy),
    forecastAt: t.forecast?.computedAt ?? null,
    openOrder: t.openOrder === null ? null : { ...t.openOrder },
  };
}

export class SupplierCustomersService {
  constructor(
    private readonly repo: Pick<Repository, 'tankForecasts'>,
    private readonly clock: ServerClock,
  ) {}

  async list(actor: Actor, query: { limit?: number; cursor?: string }): Promise<Page> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // An account without a supplier profile has no customers.
    if (actor.supplierId === undefined) return { tanks: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.repo.tankForecasts.supplierCustomers(actor.supplierId, { limit: limit + 1, ...(after === undefined ? {} : { after }) });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const reorder = last?.forecast?.reorderBy;
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ reorderBy: reorder !== undefined && !('reason' in reorder) ? reorder.at : null, tankId: last.tankId }) : null;
    const now = this.clock.now();
    return { tanks: page.map((t) => view(t, now)), nextCursor };
  }
}
