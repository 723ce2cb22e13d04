/** Create or edit an alert rule: sensor, type (those that fit it), thresholds, name, channels, on/off. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import type { AlertChange, AlertRule, AlertRuleType, NotifyChannel, Sensor } from '../api/types.js';
import { useApp } from '../context.js';
import { fieldIssues } from '../logic/error-words.js';
import { defaultParams, parseParams, RULE_TYPES, typesFor } from '../logic/rule-forms.js';
import { Field, FailureNotice } from './ui.js';
import { asFailure } from './use-action.js';

export function RuleForm(props: { sensors: readonly Sensor[]; rule?: AlertRule; onDone: (rule: AlertRule) => void; onCancel: () => void }): JSX.Element {
  const app = useApp();
  const first = props.sensors[0];
  const [sensorId, setSensorId] = useState(props.rule?.sensorId ?? first?.id ?? '');
  const sensor = props.sensors.find((s) => s.id === sensorId);
  const fitting = sensor === undefined ? [] : typesFor(sensor.kind);
  const [type, setType] = useState<AlertRuleType>((props.rule?.type as AlertRuleType | undefined) ?? fitting[0] ?? 'device_offline');
  const [params, setParams] = useState<Record<string, string>>(
    props.rule === undefined ? defaultParams(type) : Object.fromEntries(Object.entries(props.rule.params).map(([k, v]) => [k, String(v)])),
  );
  const [name, setName] = useState(props.rule?.name ?? '');
  const [enabled, setEnabled] = useState(props.rule?.enabled ?? true);
  const [notify, setNotify] = useState<readonly NotifyChannel[]>(props.rule?.notify ?? ['email', 'push']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);

  const chooseSensor = (id: string) => {
    setSensorId(id);
    const kind = props.sensors.find((s) => s.id === id)?.kind;
    const types = kind === undefined ? [] : typesFor(kind);
    if (!types.includes(type) && types[0] !== undefined) chooseType(types[0]);
  };
  const chooseType = (t: AlertRuleType) => {
    setType(t);
    setParams(defaultParams(t));
    setErrors({});
  };
  const toggle = (channel: NotifyChannel, on: boolean) => setNotify(on ? [...new Set([...notify, channel])] : notify.filter((c) => c !== channel));

  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = parseParams(type, params);
    if ('errors' in parsed) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setFailure(undefined);
    setBusy(true);
    const body = { type, params: parsed.params, name: name.trim() === '' ? null : name.trim(), enabled, notify: [...notify] } as AlertChange;
    try {
      const saved = props.rule === undefined ? await app.api.createAlert({ ...body, sensorId }) : await app.api.updateAlert(props.rule.id, body);
      props.onDone(saved);
    } catch (error) {
      const f = asFailure(error);
      setFailure(f);
      // "params.alarmLel" → the alarmLel field; "name" → name.
      const byField: Record<string, string> = { ...fieldIssues(f) };
      for (const i of f.issues) byField[i.path.split('.').pop() ?? i.path] ??= i.message;
      setErrors(byField);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={props.rule === undefined ? 'New alert rule' : 'Edit alert rule'}>
      {failure !== undefined && <FailureNotice failure={failure} />}
      <div class="form-row">
        <Field id="rule-sensor" label="Sensor">
          {(aria) => (
            <select {...aria} value={sensorId} disabled={props.rule !== undefined} onChange={(e) => chooseSensor(e.currentTarget.value)}>
              {props.sensors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name ?? s.sensorId}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="rule-type" label="When">
          {(aria) => (
            <select {...aria} value={type} onChange={(e) => chooseType(e.currentTarget.value as AlertRuleType)}>
              {fitting.map((t) => (
                <option key={t} value={t}>
                  {RULE_TYPES[t].label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {RULE_TYPES[type].fields.length > 0 && (
        <div class="form-row">
          {RULE_TYPES[type].fields.map((f) => (
            <Field key={f.key} id={`rule-${f.key}`} label={`${f.label} (${f.unit})`} error={errors[f.key]}>
              {(aria) => (
                <input
                  {...aria}
                  type="number"
                  inputMode="decimal"
                  min={f.min}
                  max={f.max}
                  step={f.step}
                  required
                  value={params[f.key] ?? ''}
                  onInput={(e) => setParams({ ...params, [f.key]: e.currentTarget.value })}
                />
              )}
            </Field>
          ))}
        </div>
      )}
      <Field id="rule-name" label="Name (optional)" hint="What the notification calls it, e.g. “Order gas”.">
        {(aria) => <input {...aria} maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <fieldset>
        <legend class="legend">Notify me by</legend>
        <label class="check">
          <input type="checkbox" checked={notify.includes('email')} onChange={(e) => toggle('email', e.currentTarget.checked)} /> Email
        </label>
        <label class="check">
          <input type="checkbox" checked={notify.includes('push')} onChange={(e) => toggle('push', e.currentTarget.checked)} /> Push
        </label>
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled
      </label>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || sensor === undefined}>
          {props.rule === undefined ? 'Create rule' : 'Save rule'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
