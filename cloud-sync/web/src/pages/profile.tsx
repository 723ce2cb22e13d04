/** Profile: name, email, phone; how notifications reach you; the password; signing out here or everywhere. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { NotificationPreferences, Severity, User } from '../api/types.js';
import { ConfirmDialog, Field, FailureNotice, Loading } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { useApp, usePageName } from '../context.js';
import { useStore } from '../data/hooks.js';
import { fieldIssues } from '../logic/error-words.js';

export function ProfilePage(): JSX.Element {
  usePageName('Profile');
  const app = useApp();
  const me = useStore(app.data.me);
  if (me.data === undefined) return me.error !== undefined ? <FailureNotice failure={me.error} retry={() => void app.data.me.refresh()} /> : <Loading what="your profile" />;
  return (
    <>
      <div class="page-head">
        <h1>Profile</h1>
      </div>
      <div class="grid">
        <Details user={me.data} />
        <Preferences prefs={me.data.notificationPreferences} />
        <PasswordForm />
        <Sessions />
      </div>
    </>
  );
}

function Details(props: { user: User }): JSX.Element {
  const app = useApp();
  const [name, setName] = useState(props.user.name);
  const [email, setEmail] = useState(props.user.email);
  const [phone, setPhone] = useState(props.user.phone ?? '');
  const { busy, failure, run, status } = useAction();
  const issues = failure === undefined ? {} : fieldIssues(failure);
  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">Your details</h2>
      <form
        class="spaced"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => app.data.me.set(await app.api.updateProfile({ name: name.trim(), email: email.trim(), phone: phone.trim() === '' ? null : phone.trim() })), 'Saved.');
        }}
      >
        {status}
        <Field id="p-name" label="Name" error={issues.name}>
          {(aria) => <input {...aria} autocomplete="name" required maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field id="p-email" label="Email" error={issues.email} hint="Where email notifications go.">
          {(aria) => <input {...aria} type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field id="p-phone" label="Phone (optional)" error={issues.phone} hint="For text messages when they are offered, e.g. +44 7700 900123.">
          {(aria) => <input {...aria} type="tel" autocomplete="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Save details
        </button>
      </form>
    </section>
  );
}

function Preferences(props: { prefs: NotificationPreferences }): JSX.Element {
  const app = useApp();
  const [prefs, setPrefs] = useState(props.prefs);
  useEffect(() => setPrefs(props.prefs), [props.prefs]);
  const { busy, run, status } = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const saved = await app.api.updatePreferences(prefs);
      app.data.me.update((u) => (u === undefined ? u : { ...u, notificationPreferences: saved }));
    }, 'Saved.');
  };
  return (
    <section class="card" aria-labelledby="prefs-title">
      <h2 id="prefs-title">Notifications</h2>
      <form class="spaced" onSubmit={save}>
        {status}
        <fieldset>
          <legend class="legend">Send them by</legend>
          <label class="check">
            <input type="checkbox" checked={prefs.email} onChange={(e) => setPrefs({ ...prefs, email: e.currentTarget.checked })} /> Email
          </label>
          <label class="check">
            <input type="checkbox" checked={prefs.push} onChange={(e) => setPrefs({ ...prefs, push: e.currentTarget.checked })} /> Push
          </label>
        </fieldset>
        <Field id="p-sev" label="Tell me about" hint="Critical alarms (a gas alarm) always make a notification, whatever you choose here.">
          {(aria) => (
            <select {...aria} value={prefs.minSeverity} onChange={(e) => setPrefs({ ...prefs, minSeverity: e.currentTarget.value as Severity })}>
              <option value="info">Everything, including information</option>
              <option value="warning">Warnings and alarms</option>
              <option value="critical">Alarms only</option>
            </select>
          )}
        </Field>
        <label class="check">
          <input type="checkbox" checked={prefs.deviceOffline} onChange={(e) => setPrefs({ ...prefs, deviceOffline: e.currentTarget.checked })} /> When a gateway goes offline
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Save notification settings
        </button>
      </form>
    </section>
  );
}

function PasswordForm(): JSX.Element {
  const app = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { busy, failure, run, status } = useAction();
  const issues = failure === undefined ? {} : fieldIssues(failure);
  return (
    <section class="card" aria-labelledby="pw-title">
      <h2 id="pw-title">Password</h2>
      <form
        class="spaced"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            app.session.signedIn(await app.api.changePassword({ currentPassword: current, newPassword: next }));
            setCurrent('');
            setNext('');
          }, 'Password changed. Every other session is signed out.');
        }}
      >
        {status}
        <Field id="pw-current" label="Current password">
          {(aria) => <input {...aria} type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />}
        </Field>
        <Field id="pw-new" label="New password" hint="At least 10 characters. Every other session is signed out." error={issues.newPassword}>
          {(aria) => <input {...aria} type="password" autocomplete="new-password" required minLength={10} value={next} onInput={(e) => setNext(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Change password
        </button>
      </form>
    </section>
  );
}

function Sessions(): JSX.Element {
  const app = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const out = (everywhere: boolean) => {
    setBusy(true);
    void app.signOut(everywhere).finally(() => setBusy(false));
  };
  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Signing out</h2>
      <p class="spaced">Sign out of this browser, or of every browser and phone signed in to this account (a lost phone, a shared computer).</p>
      <div class="actions spaced">
        <button type="button" disabled={busy} onClick={() => out(false)}>
          Sign out
        </button>
        <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
          Sign out everywhere
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere?"
        confirm="Sign out everywhere"
        danger
        busy={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          out(true);
        }}
      >
        <p>Every browser and phone signed in to this account is signed out now, this one too. Your gateways keep working and keep uploading.</p>
      </ConfirmDialog>
    </section>
  );
}
