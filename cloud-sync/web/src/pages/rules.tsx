/** Alert rules: list, create, edit, enable or disable, send a test, delete. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import type { AlertRule } from '../api/types.js';
import { RuleForm } from '../components/rule-form.js';
import { ConfirmDialog, EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { useApp, usePageName } from '../context.js';
import { useStore } from '../data/hooks.js';
import { RULE_TYPES, ruleSummary } from '../logic/rule-forms.js';

export function RulesPage(): JSX.Element {
  usePageName('Alert rules');
  const app = useApp();
  const { data } = app;
  const rules = useStore(data.alerts);
  const sensors = useStore(data.sensors);
  const [editing, setEditing] = useState<AlertRule | 'new' | undefined>();
  const [deleting, setDeleting] = useState<AlertRule | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const action = useAction();
  const busy = action.busy;
  const sensorList = sensors.data ?? [];
  const nameOf = (id: string) => {
    const s = sensorList.find((x) => x.id === id);
    return s?.name ?? s?.sensorId ?? id;
  };
  const act = (run: () => Promise<unknown>, done?: string) => {
    setNote(undefined);
    return action.run(async () => {
      await run();
      await data.alerts.refresh();
    }, done);
  };
  const toggle = (r: AlertRule) =>
    act(() => app.api.updateAlert(r.id, { type: r.type, params: r.params, name: r.name, enabled: !r.enabled, notify: r.notify } as never), r.enabled ? 'Rule disabled.' : 'Rule enabled.');

  return (
    <>
      <div class="page-head">
        <h1>Alert rules</h1>
        {editing === undefined && sensorList.length > 0 && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New rule
          </button>
        )}
      </div>
      <p class="muted spaced">Rules run on the gateway itself, so they alarm even without internet; the cloud sends the notifications.</p>
      {action.status}
      {note !== undefined && (
        <p class="notice soft" role="status">
          {note}
        </p>
      )}
      {editing !== undefined && (
        <section class="card section" aria-label={editing === 'new' ? 'New rule' : 'Edit rule'}>
          <h2>{editing === 'new' ? 'New rule' : `Edit: ${editing.name ?? RULE_TYPES[editing.type as keyof typeof RULE_TYPES]?.label ?? editing.type}`}</h2>
          <RuleForm
            sensors={sensorList}
            {...(editing === 'new' ? {} : { rule: editing })}
            onCancel={() => setEditing(undefined)}
            onDone={() => {
              setEditing(undefined);
              setNote('Saved. The gateway picks the rule up within a minute.');
              void data.alerts.refresh();
            }}
          />
        </section>
      )}
      {rules.data === undefined || sensors.data === undefined ? (
        (rules.error ?? sensors.error) === undefined ? <Loading what="your rules" /> : <FailureNotice failure={(rules.error ?? sensors.error) as ApiFailure} retry={() => void data.alerts.refresh()} />
      ) : sensorList.length === 0 ? (
        <EmptyState title="No sensors to watch yet" action={<Link class="button primary" href="/gateways">Add a gateway</Link>}>
          Rules watch sensors. Once a gateway reports its sensors you can set low-level, gas and sudden-drop alerts here.
        </EmptyState>
      ) : rules.data.length === 0 && editing === undefined ? (
        <EmptyState title="No alert rules yet" action={<button type="button" class="primary" onClick={() => setEditing('new')}>Create your first rule</button>}>
          Without rules the gateway still sounds its built-in alarms. Add a rule to choose your own thresholds and how you are told.
        </EmptyState>
      ) : (
        <ul class="list section">
          {rules.data.map((r) => (
            <li key={r.id} class="card row" data-testid="rule">
              <div class="grow">
                <div class="actions">
                  <strong>{r.name ?? RULE_TYPES[r.type as keyof typeof RULE_TYPES]?.label ?? r.type}</strong>
                  <Pill tone={r.enabled ? 'ok' : 'neutral'}>{r.enabled ? 'On' : 'Off'}</Pill>
                </div>
                <p>
                  {nameOf(r.sensorId)}: {ruleSummary(r.type, r.params)}
                </p>
                <p class="small muted">{r.notify.length === 0 ? 'No notification (the gateway still alarms)' : `Notifies by ${r.notify.join(' and ')}`}</p>
              </div>
              <div class="actions">
                <button type="button" disabled={busy} onClick={() => void toggle(r)}>
                  {r.enabled ? 'Disable' : 'Enable'}
                </button>
                <button type="button" disabled={busy} onClick={() => setEditing(r)}>
                  Edit
                </button>
                <button type="button" disabled={busy} onClick={() => void act(async () => { await app.api.testAlert(r.id); data.refreshNotifications(); }, 'Test notification sent: see Notifications.')}>
                  Send a test
                </button>
                <button type="button" disabled={busy} onClick={() => setDeleting(r)}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete this rule?"
        confirm="Delete rule"
        danger
        busy={busy}
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const r = deleting;
          setDeleting(undefined);
          if (r !== undefined) void act(() => app.api.deleteAlert(r.id), 'Rule deleted.');
        }}
      >
        <p>
          {deleting !== undefined && `${nameOf(deleting.sensorId)}: ${ruleSummary(deleting.type, deleting.params)}.`} The gateway stops applying it at its next config check; its past notifications stay.
        </p>
      </ConfirmDialog>
    </>
  );
}
