/**
 * The user's channel addresses with their state (verified, turned off and why),
 * and per address: resend the verification link, send a test (followed to its
 * delivery's outcome), remove.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ChannelAddress } from '../api/types.js';
import { useApp } from '../context.js';
import { useStore } from '../data/hooks.js';
import { addressState, addressTarget, KIND_LABELS, testOutcomeWords } from '../logic/channel-words.js';
import { ConfirmDialog, EmptyState, FailureNotice, Loading, Pill } from './ui.js';
import { useAction } from './use-action.js';

export function ChannelList(): JSX.Element {
  const app = useApp();
  const channels = useStore(app.data.channels);
  if (channels.data === undefined) {
    return channels.error !== undefined ? <FailureNotice failure={channels.error} retry={() => void app.data.channels.refresh()} /> : <Loading what="your channels" />;
  }
  // Emergency contacts have their own section (emergency-contacts.tsx): they are not where your notifications go.
  const own = channels.data.filter((a) => a.contactName === null);
  if (own.length === 0) {
    return (
      <EmptyState title="Nowhere to send alarms yet">
        Notifications are only shown here until you add an email address, a mobile number, a webhook or this browser.
      </EmptyState>
    );
  }
  return (
    <ul class="list" aria-label="Your channels">
      {own.map((a) => (
        <ChannelItem key={a.id} address={a} />
      ))}
    </ul>
  );
}

/** One address: yours, or an emergency contact's (named, never sent a test: they would not know why). */
export function ChannelItem(props: { address: ChannelAddress }): JSX.Element {
  const app = useApp();
  const a = props.address;
  const state = addressState(a);
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [testId, setTestId] = useState<string | undefined>();
  const contact = a.contactName ?? undefined;
  const usable = a.enabled && a.verified && contact === undefined;
  const label = `${contact ?? KIND_LABELS[a.kind]} ${addressTarget(a)}`;
  return (
    <li class="card row" data-testid="channel" data-kind={a.kind}>
      <div class="grow">
        <div class="actions">
          <strong>{contact ?? KIND_LABELS[a.kind]}</strong>
          {contact !== undefined && <span class="small muted">{KIND_LABELS[a.kind]}</span>}
          <Pill tone={state.tone}>{state.label}</Pill>
        </div>
        <p class="channel-target">{addressTarget(a)}</p>
        <p class="small muted">{state.detail}</p>
        {action.status}
        {testId !== undefined && <TestOutcome notificationId={testId} />}
      </div>
      <div class="stack-actions">
        {a.kind === 'email' && !a.verified && a.enabled && (
          <button type="button" disabled={action.busy} onClick={() => void action.run(() => app.api.addEmailChannel(a.target, contact), `A new link is on its way to ${a.target}.`)}>
            Resend verification<span class="sr-only">: {label}</span>
          </button>
        )}
        {usable && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                setTestId((await app.api.testChannel(a.id)).notificationId);
              })
            }
          >
            Send a test<span class="sr-only">: {label}</span>
          </button>
        )}
        <button type="button" disabled={action.busy} onClick={() => setConfirming(true)}>
          Remove<span class="sr-only">: {label}</span>
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Remove this ${KIND_LABELS[a.kind].toLowerCase()}?`}
        confirm="Remove"
        danger
        busy={action.busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void action.run(async () => {
            await app.api.deleteChannel(a.id);
            await app.data.channels.refresh();
          });
        }}
      >
        <p>Nothing more is sent to {addressTarget(a)}. Past deliveries stay in the notifications’ logs.</p>
      </ConfirmDialog>
    </li>
  );
}

/** Follows the test's one delivery until it settles: quickly at first, then less often while the provider retries. */
function TestOutcome(props: { notificationId: string }): JSX.Element {
  const app = useApp();
  const store = app.data.deliveries.get(props.notificationId);
  const state = useStore(store);
  const delivery = state.data?.[0];
  const settled = delivery !== undefined && delivery.status !== 'pending';
  useEffect(() => {
    if (settled) return undefined;
    let delay = 500;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      void store.refresh();
      delay = Math.min(delay * 2, 30_000);
      timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    return () => clearTimeout(timer);
  }, [store, settled]);
  return (
    <p class="small test-outcome" role="status" data-testid="test-outcome" data-status={delivery?.status ?? 'queued'}>
      {testOutcomeWords(delivery)}
    </p>
  );
}
