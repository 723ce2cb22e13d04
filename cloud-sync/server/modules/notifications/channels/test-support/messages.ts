/** Notification messages as the delivery worker will build them, for channel tests. */
import type { NotificationMessage } from '../message.js';

const AT = Date.UTC(2026, 0, 15, 12, 0, 0);

export function gasAlarm(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    id: 'd-0001',
    topicKey: 'gw-3f2b:kitchen-gas:gas',
    severity: 'critical',
    kind: 'gas',
    title: 'Kitchen gas: gas alarm',
    body: 'Gas at 32 %LEL in the kitchen (alarm level 25 %LEL).',
    occurredAt: AT,
    timeZone: 'Europe/London',
    links: {
      dashboard: 'https://easygas.example/alerts/a-1',
      acknowledge: 'https://easygas.example/a/ack?t=tok-ack-1',
      unsubscribe: 'https://easygas.example/u/unsub?t=tok-unsub-1',
    },
    ...overrides,
  };
}

export function resolvedGas(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  const { acknowledge: _ack, ...links } = gasAlarm().links;
  return gasAlarm({ id: 'd-0002', severity: 'resolved', title: 'Kitchen gas: gas alarm', body: 'Gas is back to 2 %LEL.', occurredAt: AT + 600_000, links, ...overrides });
}

export function lowLevelWarning(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  const { acknowledge: _ack, ...links } = gasAlarm().links;
  return gasAlarm({ id: 'd-0003', topicKey: 'gw-3f2b:lpg:low_level', severity: 'warning', kind: 'low_level', title: 'LPG cylinder: low level', body: 'The cylinder is at 18 %.', links, ...overrides });
}
