/**
 * Notifications: what the cloud told you, unread first to the eye; mark one or all
 * read; where each went (its delivery log), and acknowledging an alarm that repeats.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Notification } from '../api/types.js';
import { DeliveryLog } from '../components/delivery-log.js';
import { EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { useApp, usePageName } from '../context.js';
import { useStore } from '../data/hooks.js';
import { sensorPath } from '../router.js';

export function NotificationsPage(props: { readonly acknowledge?: string }): JSX.Element {
  usePageName('Notifications');
  const app = useApp();
  const { data } = app;
  const list = useStore(data.notifications);
  const unread = useStore(data.unread);
  const action = useAction();
  const busy = action.busy;
  const act = (run: () => Promise<unknown>) =>
    action.run(async () => {
      await run();
      data.refreshNotifications();
    });
  const unreadCount = unread.data?.length ?? 0;
  return (
    <>
      <div class="page-head">
        <h1>Notifications</h1>
        <div class="actions">
          <Link class="button" href="/settings/notifications">
            Where they go
          </Link>
          <button type="button" disabled={busy || unreadCount === 0} onClick={() => void act(() => app.api.markAllRead())}>
            Mark all read
          </button>
        </div>
      </div>
      {action.status}
      {props.acknowledge !== undefined && list.data !== undefined && (
        <AcknowledgeOffer id={props.acknowledge} n={list.data.find((n) => n.id === props.acknowledge)} busy={busy} act={act} />
      )}
      {list.error !== undefined && <FailureNotice failure={list.error} retry={() => void data.notifications.refresh()} />}
      {list.data === undefined ? (
        list.error === undefined && <Loading what="notifications" />
      ) : list.data.length === 0 ? (
        <EmptyState title="No notifications" action={<Link class="button" href="/rules">Set up alert rules</Link>}>
          Alarms and gateway outages are listed here, and sent by email and push as your alert rules and profile say.
        </EmptyState>
      ) : (
        <ul class="list" aria-label={`${unreadCount} unread`}>
          {list.data.map((n) => (
            <NotificationItem key={n.id} n={n} busy={busy} act={act} />
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The alarm email's "Acknowledge" link lands here: one click confirms (a mail
 * scanner opening the link acknowledges nothing), and the page says plainly when
 * there is nothing left to acknowledge.
 */
function AcknowledgeOffer(props: { id: string; n: Notification | undefined; busy: boolean; act: (run: () => Promise<unknown>) => Promise<void> }): JSX.Element {
  const app = useApp();
  const { n } = props;
  if (n === undefined) {
    return <p class="notice soft" role="status">That alarm is not among your recent notifications: it may have been deleted with its sensor.</p>;
  }
  if (n.awaitingAcknowledgement !== true) {
    return (
      <p class="notice soft" role="status">
        <span>
          <strong>{n.title}</strong>: nothing to acknowledge, its reminders have stopped (acknowledged already, or the alarm has cleared).
        </span>
      </p>
    );
  }
  return (
    <div class="notice" role="alert" data-testid="acknowledge-offer">
      <div>
        <p>
          <strong>{n.title}</strong> — {n.message}
        </p>
        <p class="small">Acknowledging stops the reminders on every channel. The alarm stays listed until the gateway says it has cleared.</p>
      </div>
      <button type="button" class="danger" disabled={props.busy} onClick={() => void props.act(() => app.api.acknowledge(n.id))}>
        Acknowledge this alarm
      </button>
    </div>
  );
}

const DELIVERY_WORDS = { pending: 'sending', delivered: 'delivered', failed: 'failed' } as const;

function NotificationItem(props: { n: Notification; busy: boolean; act: (run: () => Promise<unknown>) => Promise<void> }): JSX.Element {
  const app = useApp();
  const { n, busy, act } = props;
  // The log is fetched the first time it is opened, not for every notification on the page.
  const [opened, setOpened] = useState(false);
  return (
    <li class={`card row ${n.readAt === null ? 'unread' : ''}`} data-testid="notification">
      <div class="grow">
        <div class="actions">
          <strong>{n.title}</strong>
          <Pill tone={n.severity === 'critical' ? 'critical' : n.severity === 'warning' ? 'warning' : 'info'}>{n.severity}</Pill>
          {n.readAt === null && <Pill tone="info">Unread</Pill>}
          {n.delivery === 'failed' && <Pill tone="critical">Delivery failed</Pill>}
        </div>
        <p>{n.message}</p>
        <p class="small muted">
          {app.formats.dateTime(n.createdAt, app.now())}
          {n.channels.length > 0 ? ` · sent by ${n.channels.join(' and ')}` : ' · not sent (channels off)'}
          {n.delivery !== undefined && n.delivery !== null && ` · ${DELIVERY_WORDS[n.delivery]}`}
          {n.sensorId !== null && (
            <>
              {' · '}
              <Link href={sensorPath(n.sensorId)}>the sensor</Link>
            </>
          )}
        </p>
        <details class="disclosure" onToggle={(e) => setOpened(opened || e.currentTarget.open)}>
          <summary>Delivery log</summary>
          {opened && <DeliveryLog notificationId={n.id} />}
        </details>
      </div>
      <div class="stack-actions">
        {n.awaitingAcknowledgement === true && (
          <button type="button" class="danger" disabled={busy} onClick={() => void act(() => app.api.acknowledge(n.id))}>
            Acknowledge<span class="sr-only">: {n.title}</span>
          </button>
        )}
        {n.readAt === null && (
          <button type="button" disabled={busy} onClick={() => void act(() => app.api.markRead(n.id))}>
            Mark read<span class="sr-only">: {n.title}</span>
          </button>
        )}
      </div>
    </li>
  );
}
