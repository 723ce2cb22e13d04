/** Forgot your password: ask for a link by email; the link's page sets a new password (every session ends). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import { FailureNotice, Field, Link } from '../components/ui.js';
import { asFailure } from '../components/use-action.js';
import { useApp, usePageName } from '../context.js';
import { fieldIssues } from '../logic/error-words.js';
import { Brand } from './auth-pages.js';

function useSend(run: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await run();
      setDone(true);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, done, failure, submit };
}

export function ForgotPasswordPage(): JSX.Element {
  usePageName('Forgot your password');
  const app = useApp();
  const [email, setEmail] = useState('');
  const { busy, done, failure, submit } = useSend(() => app.api.requestPasswordReset(email.trim()));
  return (
    <div class="auth">
      <Brand />
      <div class="card">
        <h1>Forgot your password?</h1>
        {done ? (
          <p class="spaced" role="status">
            If an account has the address {email.trim()}, a link to set a new password is on its way. It works once, for 30 minutes.
          </p>
        ) : (
          <>
            <p class="muted spaced">We email you a link to set a new one.</p>
            {failure !== undefined && <FailureNotice failure={failure} />}
            <form onSubmit={(e) => void submit(e)} class="spaced">
              <Field id="email" label="Email">
                {(aria) => <input {...aria} type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
              </Field>
              <button class="primary" type="submit" disabled={busy}>
                {busy ? 'Sending…' : 'Email me a link'}
              </button>
            </form>
          </>
        )}
        <p class="spaced">
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </div>
    </div>
  );
}

export function ResetPasswordPage(props: { token: string }): JSX.Element {
  usePageName('Set a new password');
  const app = useApp();
  const [password, setPassword] = useState('');
  const { busy, done, failure, submit } = useSend(() => app.api.confirmPasswordReset(props.token, password));
  const issues = failure === undefined ? {} : fieldIssues(failure);
  return (
    <div class="auth">
      <Brand />
      <div class="card">
        <h1>Set a new password</h1>
        {props.token === '' ? (
          <p class="spaced">This page needs the link from the email. Ask for a new one on the sign-in page.</p>
        ) : done ? (
          <p class="spaced" role="status">
            Your password is changed and every session was signed out. <Link href="/sign-in">Sign in</Link> with the new one.
          </p>
        ) : (
          <>
            {failure !== undefined && <FailureNotice failure={failure} />}
            <form onSubmit={(e) => void submit(e)} class="spaced">
              <Field id="password" label="New password" hint="At least 10 characters: a few words make a good one." error={issues.newPassword}>
                {(aria) => (
                  <input {...aria} type="password" autocomplete="new-password" required minLength={10} maxLength={256} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
                )}
              </Field>
              <button class="primary" type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Set the new password'}
              </button>
            </form>
          </>
        )}
        <p class="spaced">
          <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    </div>
  );
}
