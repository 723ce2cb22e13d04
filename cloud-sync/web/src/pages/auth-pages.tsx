/** Sign in and register: the two pages a signed-out visitor sees. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import type { Tokens } from '../api/types.js';
import { Field, FailureNotice, Link } from '../components/ui.js';
import { useApp, usePageName } from '../context.js';
import { fieldIssues } from '../logic/error-words.js';
import { asFailure } from '../components/use-action.js';

export function Brand(): JSX.Element {
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.getAttribute('href') ?? '';
  return (
    <p class="auth-brand">
      <img src={icon} alt="" width="36" height="36" />
      EasyGas
    </p>
  );
}

function useSubmit(run: () => Promise<Tokens>, after: string) {
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      app.session.signedIn(await run());
      app.navigate(after, { replace: true });
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, submit };
}

export function SignInPage(props: { next?: string; reason?: ApiFailure }): JSX.Element {
  usePageName('Sign in');
  const app = useApp();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, failure, submit } = useSubmit(() => app.api.login({ email: email.trim(), password }), props.next ?? '/');
  return (
    <div class="auth">
      <Brand />
      <div class="card">
        <h1>Sign in to EasyGas</h1>
        <p class="muted spaced">Your tanks, alarms and gateways in one place.</p>
        {props.reason !== undefined && failure === undefined && <FailureNotice failure={props.reason} />}
        {failure !== undefined && <FailureNotice failure={failure} />}
        <form onSubmit={(e) => void submit(e)} class="spaced">
          <Field id="email" label="Email">
            {(aria) => <input {...aria} type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field id="password" label="Password">
            {(aria) => <input {...aria} type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
          </Field>
          <button class="primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p class="spaced">
          New here? <Link href="/register">Create an account</Link>
        </p>
        <p>
          <Link href="/forgot-password">Forgot your password?</Link>
        </p>
      </div>
    </div>
  );
}

export function RegisterPage(): JSX.Element {
  usePageName('Create an account');
  const app = useApp();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, failure, submit } = useSubmit(() => app.api.register({ name: name.trim(), email: email.trim(), password }), '/');
  const issues = failure === undefined ? {} : fieldIssues(failure);
  return (
    <div class="auth">
      <Brand />
      <div class="card">
        <h1>Create your EasyGas account</h1>
        {failure !== undefined && <FailureNotice failure={failure} />}
        <form onSubmit={(e) => void submit(e)} class="spaced">
          <Field id="name" label="Your name" error={issues.name}>
            {(aria) => <input {...aria} autocomplete="name" required maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field id="email" label="Email" error={issues.email}>
            {(aria) => <input {...aria} type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field id="password" label="Password" hint="At least 10 characters: a few words make a good one." error={issues.password}>
            {(aria) => (
              <input {...aria} type="password" autocomplete="new-password" required minLength={10} maxLength={256} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            )}
          </Field>
          <button class="primary" type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </form>
        <p class="spaced">
          Already have an account? <Link href="/sign-in">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
