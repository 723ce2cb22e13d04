/**
 * A refill order's life, as one pure decision: who may move an order from which
 * status to which. placed → acknowledged → scheduled → in_transit → delivered, or
 * cancelled (by the customer until the truck leaves; by the supplier as a rejection).
 * Storage applies a decision with a compare-and-set on the status it was made from,
 * so of two concurrent changes exactly one wins and the other is told the state now.
 */
export const ORDER_STATUSES = ['placed', 'acknowledged', 'scheduled', 'in_transit', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_ACTIONS = ['acknowledge', 'reject', 'schedule', 'reschedule', 'dispatch', 'deliver', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Who acts on an order: its customer, the supplier it was placed with, or the system (auto-order, admin). */
export type OrderParty = 'customer' | 'supplier' | 'system';

interface Rule {
  readonly from: readonly OrderStatus[];
  /** 'same': the order keeps its status (a new date or window). */
  readonly to: OrderStatus | 'same';
  readonly by: readonly OrderParty[];
}

const BEFORE_TRANSIT: readonly OrderStatus[] = ['placed', 'acknowledged', 'scheduled'];

const RULES: Readonly<Record<OrderAction, Rule>> = {
  acknowledge: { from: ['placed'], to: 'acknowledged', by: ['supplier'] },
  // A supplier that cannot deliver says so, with a reason, before the truck leaves.
  reject: { from: BEFORE_TRANSIT, to: 'cancelled', by: ['supplier'] },
  // Scheduling implies acknowledging: a supplier may book the date straight away.
  schedule: { from: ['placed', 'acknowledged'], to: 'scheduled', by: ['supplier'] },
  // The customer moves the requested window, the supplier the booked date; both before the truck leaves.
  reschedule: { from: BEFORE_TRANSIT, to: 'same', by: ['customer', 'supplier', 'system'] },
  dispatch: { from: ['scheduled'], to: 'in_transit', by: ['supplier'] },
  deliver: { from: ['scheduled', 'in_transit'], to: 'delivered', by: ['supplier'] },
  cancel: { from: BEFORE_TRANSIT, to: 'cancelled', by: ['customer', 'system'] },
};

export type OrderDecision =
  | { readonly ok: true; readonly to: OrderStatus }
  | {
      readonly ok: false;
      /** 'party': this party may never take this action; 'status': not from the order's status now. */
      readonly why: 'party' | 'status';
      readonly status: OrderStatus;
      /** What this party may do from the status now (for the 409's body). */
      readonly allowed: readonly OrderAction[];
    };

export function decideOrderAction(status: OrderStatus, action: OrderAction, by: OrderParty): OrderDecision {
  const rule = RULES[action];
  if (!rule.by.includes(by)) return { ok: false, why: 'party', status, allowed: allowedOrderActions(status, by) };
  if (!rule.from.includes(status)) return { ok: false, why: 'status', status, allowed: allowedOrderActions(status, by) };
  return { ok: true, to: rule.to === 'same' ? status : rule.to };
}

export function allowedOrderActions(status: OrderStatus, by: OrderParty): OrderAction[] {
  return ORDER_ACTIONS.filter((a) => RULES[a].by.includes(by) && RULES[a].from.includes(status));
}

/** Open orders block a second one for the same tank (the database enforces it; this names the set). */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['placed', 'acknowledged', 'scheduled', 'in_transit'];

export function isOpenOrder(status: OrderStatus): boolean {
  return OPEN_ORDER_STATUSES.includes(status);
}
