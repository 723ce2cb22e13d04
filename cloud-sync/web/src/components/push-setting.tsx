/**
 * Push on this browser. The page never asks for permission by itself: only the
 * "Enable push" click does. Each state says what is true: this browser cannot,
 * the cloud does not send push, permission was refused, or push is on or off here.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { disablePush, enablePush, pushState, type PushState } from '../data/browser-push.js';
import { Loading, Pill } from './ui.js';
import { useAction } from './use-action.js';

const WORDS: Readonly<Record<PushState['kind'], { readonly label: string; readonly text: string }>> = {
  unsupported: { label: 'Not available', text: 'This browser cannot receive push notifications (or the page is not on https). Use email or a text message instead.' },
  'not-configured': { label: 'Not offered', text: 'This EasyGas cloud does not send push notifications: its operator has not set it up.' },
  denied: { label: 'Blocked', text: 'Notifications are blocked for this site in the browser’s settings. Allow them there, then reload this page.' },
  off: { label: 'Off', text: 'Alarms can pop up on this device even when the dashboard is closed. The browser asks you first.' },
  on: { label: 'On', text: 'Alarms pop up on this device, even when the dashboard is closed.' },
};

export function PushSetting(): JSX.Element {
  const app = useApp();
  const [state, setState] = useState<PushState | undefined>();
  const action = useAction();
  useEffect(() => {
    let live = true;
    void action.run(async () => {
      const s = await pushState(app.api);
      if (live) setState(s);
    });
    return () => {
      live = false;
    };
    // Once per visit: the state changes only through the buttons below (or the browser's settings, seen at the next visit).
  }, [app.api]);
  const change = (to: typeof enablePush) =>
    void action.run(async () => {
      setState(await to(app.api));
      await app.data.channels.refresh();
    });
  return (
    <section class="card" aria-labelledby="push-title" data-testid="push-setting" data-state={state?.kind ?? 'checking'}>
      <div class="card-head">
        <h2 id="push-title">Push on this browser</h2>
        {state !== undefined && <Pill tone={state.kind === 'on' ? 'ok' : state.kind === 'off' ? 'neutral' : 'warning'}>{WORDS[state.kind].label}</Pill>}
      </div>
      {state === undefined ? action.failure === undefined && <Loading what="push on this browser" /> : <p>{WORDS[state.kind].text}</p>}
      {action.status}
      <div class="actions spaced">
        {state?.kind === 'off' && (
          <button type="button" class="primary" disabled={action.busy} onClick={() => change(enablePush)}>
            Enable push
          </button>
        )}
        {state?.kind === 'on' && (
          <button type="button" disabled={action.busy} onClick={() => change(disablePush)}>
            Disable push on this browser
          </button>
        )}
      </div>
    </section>
  );
}
