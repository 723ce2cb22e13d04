/**
 * Adding a channel address: email (verified by a link), SMS (E.164) or a webhook
 * (its signing secret shown once, with a copy button). One form per kind, each
 * described by a spec, so a new field or kind is one entry here.
 */
import type { InputHTMLAttributes, JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client.js';
import { useApp } from '../context.js';
import { fieldIssues } from '../logic/error-words.js';
import { CopyButton, Field } from './ui.js';
import { useAction } from './use-action.js';

interface ChannelFormSpec {
  readonly kind: 'email' | 'sms' | 'webhook';
  /** The choice's name, and the field's label. */
  readonly title: string;
  readonly label: string;
  /** The body field the server names in a 400 (body.email → email). */
  readonly field: string;
  /** The input's own attributes: its type, autocomplete, placeholder. */
  readonly input: InputHTMLAttributes<HTMLInputElement>;
  readonly hint: string;
  readonly submit: string;
  /** Adds it; what to say after, and the webhook's secret to show once. */
  add(api: ApiClient, value: string): Promise<{ readonly done: string; readonly secret?: string }>;
}

const FORMS: readonly ChannelFormSpec[] = [
  {
    kind: 'email',
    title: 'Email',
    label: 'Email address',
    field: 'email',
    input: { type: 'email', autocomplete: 'email', placeholder: 'you@example.com', maxLength: 254 },
    hint: 'We email it a link; alarms go there once the link is opened.',
    submit: 'Add email',
    add: async (api, value) => {
      const added = await api.addEmailChannel(value);
      return { done: added.verified ? `${added.target} is verified already.` : `Check ${added.target} for the verification link.` };
    },
  },
  {
    kind: 'sms',
    title: 'Text message',
    label: 'Mobile number',
    field: 'phone',
    input: { type: 'tel', autocomplete: 'tel', placeholder: '+44 7911 123456', maxLength: 40 },
    hint: 'With its country code (E.164), e.g. +44 7911 123456. Only critical alarms are texted.',
    submit: 'Add number',
    add: async (api, value) => ({ done: `${(await api.addSmsChannel(value)).target} added.` }),
  },
  {
    kind: 'webhook',
    title: 'Webhook',
    label: 'Webhook URL',
    field: 'url',
    input: { type: 'url', placeholder: 'https://homeassistant.local/api/webhook/easygas', maxLength: 2048 },
    hint: 'Called with a JSON body signed with HMAC-SHA256: Home Assistant, ntfy, a team chat.',
    submit: 'Add webhook',
    add: async (api, value) => {
      const added = await api.addWebhookChannel(value);
      return { done: 'Webhook added.', secret: added.secret };
    },
  },
];

export function AddChannelForm(): JSX.Element {
  const [kind, setKind] = useState<ChannelFormSpec['kind']>('email');
  const spec = FORMS.find((f) => f.kind === kind) ?? FORMS[0]!;
  return (
    <section class="card" aria-labelledby="add-channel-title">
      <h2 id="add-channel-title">Add a channel</h2>
      <div class="ranges spaced" role="group" aria-label="Kind of channel">
        {FORMS.map((f) => (
          <button key={f.kind} type="button" aria-pressed={f.kind === kind} onClick={() => setKind(f.kind)}>
            {f.title}
          </button>
        ))}
      </div>
      {/* Keyed: switching kinds starts a fresh form. */}
      <SpecForm key={spec.kind} spec={spec} />
    </section>
  );
}

function SpecForm(props: { spec: ChannelFormSpec }): JSX.Element {
  const app = useApp();
  const { spec } = props;
  const [value, setValue] = useState('');
  const [secret, setSecret] = useState<string | undefined>();
  const { busy, failure, run, status } = useAction();
  const issues = failure === undefined ? {} : fieldIssues(failure);
  const [done, setDone] = useState<string | undefined>();
  return (
    <form
      class="spaced"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(undefined);
        void run(async () => {
          const added = await spec.add(app.api, value.trim());
          setSecret(added.secret);
          setDone(added.done);
          setValue('');
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
      {secret !== undefined && (
        <div class="secret-once" data-testid="webhook-secret">
          <strong>The signing secret, shown this once</strong>
          <span class="small">Put it in the receiver to check each call’s signature. Adding the same URL again makes a new one.</span>
          <code class="code">{secret}</code>
          <div class="actions">
            <CopyButton text={secret} label="Copy the secret" />
            <button type="button" onClick={() => setSecret(undefined)}>
              I have kept it
            </button>
          </div>
        </div>
      )}
      <Field id={`add-${spec.kind}`} label={spec.label} hint={spec.hint} error={issues[spec.field]}>
        {(aria) => (
          <input {...aria} {...spec.input} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        )}
      </Field>
      <div>
        <button type="submit" class="primary" disabled={busy}>
          {spec.submit}
        </button>
      </div>
    </form>
  );
}
