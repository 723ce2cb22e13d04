/**
 * Emergency contacts: a neighbour or relative told when a gas or leak alarm goes
 * unacknowledged through all its reminders (once, and again when it clears), and
 * never anything else. Up to five, each an email address (verified by a link that
 * says who added them) or a mobile number.
 */
import type { InputHTMLAttributes, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { useStore } from '../data/hooks.js';
import { fieldIssues } from '../logic/error-words.js';
import { ChannelItem } from './channel-list.js';
import { Field } from './ui.js';
import { useAction } from './use-action.js';

/** The server's limit (modules/channels/service.ts MAX_CONTACTS): the form hides at it. */
const MAX_CONTACTS = 5;

const TARGET_INPUT: Readonly<Record<'email' | 'sms', InputHTMLAttributes<HTMLInputElement>>> = {
  email: { type: 'email', maxLength: 254, placeholder: 'maria@example.com' },
  sms: { type: 'tel', maxLength: 40, placeholder: '+44 7911 123456' },
};

export function EmergencyContacts(): JSX.Element {
  const app = useApp();
  const channels = useStore(app.data.channels);
  const contacts = (channels.data ?? []).filter((a) => a.contactName !== null);
  return (
    <section class="card" aria-labelledby="contacts-title" data-testid="emergency-contacts">
      <h2 id="contacts-title">Emergency contacts</h2>
      <p class="small muted">
        If a gas or water-leak alarm goes unacknowledged through all its reminders, each contact is told once — what, where and since when — and again when it clears.
        They get nothing else.
      </p>
      {contacts.length > 0 && (
        <ul class="list spaced" aria-label="Your emergency contacts">
          {contacts.map((a) => (
            <ChannelItem key={a.id} address={a} />
          ))}
        </ul>
      )}
      {channels.data !== undefined &&
        (contacts.length >= MAX_CONTACTS ? (
          <p class="notice soft spaced">You have {MAX_CONTACTS} contacts, the most allowed: remove one to add another.</p>
        ) : (
          <AddContactForm />
        ))}
    </section>
  );
}

function AddContactForm(): JSX.Element {
  const app = useApp();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'email' | 'sms'>('email');
  const [target, setTarget] = useState('');
  const [done, setDone] = useState<string | undefined>();
  const { busy, failure, run, status } = useAction();
  const issues = failure === undefined ? {} : fieldIssues(failure);
  return (
    <form
      class="spaced"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(undefined);
        void run(async () => {
          const added = kind === 'email' ? await app.api.addEmailChannel(target.trim(), name.trim()) : await app.api.addSmsChannel(target.trim(), name.trim());
          setDone(added.verified ? `${name.trim()} will be told.` : `We emailed ${added.target} a link saying you added them; they are told once they open it.`);
          setName('');
          setTarget('');
          await app.data.channels.refresh();
        });
      }}
    >
      {status}
      {done !== undefined && (
        <p class="notice soft" role="status">
          {done}
        </p>
      )}
      <Field id="contact-name" label="Their name" hint="As they should be addressed, e.g. Maria (next door)." error={issues.contactName}>
        {(aria) => <input {...aria} required maxLength={60} autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <div class="ranges spaced" role="group" aria-label="How to reach them">
        {(['email', 'sms'] as const).map((k) => (
          <button key={k} type="button" aria-pressed={k === kind} onClick={() => setKind(k)}>
            {k === 'email' ? 'By email' : 'By text message'}
          </button>
        ))}
      </div>
      <Field
        id="contact-target"
        label={kind === 'email' ? 'Their email address' : 'Their mobile number'}
        hint={kind === 'email' ? 'They must open the link we send before they can be told.' : 'With its country code (E.164), e.g. +44 7911 123456.'}
        error={kind === 'email' ? issues.email : issues.phone}
      >
        {(aria) => (
          <input
            {...aria}
            required
            {...TARGET_INPUT[kind]}
            autocomplete="off"
            value={target}
            onInput={(e) => setTarget(e.currentTarget.value)}
          />
        )}
      </Field>
      <div>
        <button type="submit" class="primary" disabled={busy}>
          Add contact
        </button>
      </div>
    </form>
  );
}
