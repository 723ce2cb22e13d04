/** Where one notification went and how each attempt ended (GET /api/notifications/:id/deliveries). */
import type { JSX } from 'preact';
import { useApp } from '../context.js';
import { useStore } from '../data/hooks.js';
import { addressTarget, attemptWords, deliveryState, KIND_LABELS } from '../logic/channel-words.js';
import { FailureNotice, Loading, Pill } from './ui.js';

export function DeliveryLog(props: { notificationId: string }): JSX.Element {
  const app = useApp();
  const store = app.data.deliveries.get(props.notificationId);
  const state = useStore(store);
  if (state.data === undefined) return state.error !== undefined ? <FailureNotice failure={state.error} retry={() => void store.refresh()} /> : <Loading what="the delivery log" />;
  if (state.data.length === 0) return <p class="small muted">Shown here only: it went to no email, phone, webhook or browser.</p>;
  return (
    <ul class="delivery-log" data-testid="delivery-log">
      {state.data.map((d) => {
        const words = deliveryState(d.status);
        return (
          <li key={d.id}>
            <div class="actions">
              <strong>{KIND_LABELS[d.channel]}</strong>
              <span class="small muted">{addressTarget({ kind: d.channel, target: d.target })}</span>
              <Pill tone={words.tone}>{words.label}</Pill>
            </div>
            {d.log.length === 0 ? (
              <p class="small muted">{d.status === 'pending' ? 'Not tried yet (waiting for its turn, or for quiet hours to end).' : (d.lastError ?? 'Never tried.')}</p>
            ) : (
              <ol class="small">
                {d.log.map((a, i) => (
                  <li key={i}>
                    {app.formats.dateTime(a.at, app.now())}: {attemptWords(a)}
                  </li>
                ))}
              </ol>
            )}
          </li>
        );
      })}
    </ul>
  );
}
