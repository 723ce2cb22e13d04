/**
 * /verify-email?token=: the link in a channel's verification email. No sign-in is
 * needed (the token is the proof); the address is verified by a click, not by
 * opening the page, so a mail scanner that follows links verifies nothing.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ChannelAddress } from '../api/types.js';
import { FailureNotice, Link } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { useApp, usePageName } from '../context.js';
import { Brand } from './auth-pages.js';

export function VerifyEmailPage(props: { token: string }): JSX.Element {
  usePageName('Verify an email address');
  const app = useApp();
  const [verified, setVerified] = useState<ChannelAddress | undefined>();
  const { busy, failure, run } = useAction();
  return (
    <div class="auth">
      <Brand />
      <div class="card">
        <h1>Verify an email address</h1>
        {props.token === '' ? (
          <p class="spaced">This page needs the link from the verification email.</p>
        ) : verified !== undefined ? (
          <p class="spaced" role="status">
            {verified.contactName === null ? (
              <>
                Verified: EasyGas alarms now go to <strong>{verified.target}</strong>.
              </>
            ) : (
              <>
                Thank you, {verified.contactName}: <strong>{verified.target}</strong> will be told if a gas or leak alarm at their home goes unacknowledged, and when it
                is over. Nothing else is sent to it.
              </>
            )}
          </p>
        ) : (
          <>
            {failure !== undefined && <FailureNotice failure={failure} />}
            <p class="spaced">Confirm the address this link was emailed to, for the EasyGas alarms its email described?</p>
            <button type="button" class="primary spaced" disabled={busy} onClick={() => void run(async () => setVerified(await app.api.verifyEmailChannel(props.token)))}>
              {busy ? 'Verifying…' : 'Yes, verify this address'}
            </button>
          </>
        )}
        {/* A contact has no account here: the owner's settings are not theirs to open. */}
        {(verified === undefined || verified.contactName === null) && (
          <p class="spaced">
            <Link href="/settings/notifications">Your alert channels</Link>
          </p>
        )}
      </div>
    </div>
  );
}
