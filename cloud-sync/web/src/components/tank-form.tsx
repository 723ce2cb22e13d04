/** Create or edit a tank: what it holds, its size and thresholds, its sensor, the delivery address and the supplier. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Supplier, Tank, TankDraft } from '../api/types.js';
import { useApp } from '../context.js';
import { useStore } from '../data/hooks.js';
import { checkTankForm, PRODUCT_WORDS, tankFormValues, type TankFormErrors, type TankFormValues } from '../logic/tank-form.js';
import { Field } from './ui.js';

export function TankForm(props: { tank?: Tank; busy: boolean; onSave: (body: TankDraft) => void; onCancel: () => void }): JSX.Element {
  const app = useApp();
  const sensors = useStore(app.data.sensors);
  const [v, setV] = useState<TankFormValues>(() => tankFormValues(props.tank));
  const [errors, setErrors] = useState<TankFormErrors>({});
  const [suppliers, setSuppliers] = useState<Supplier[] | undefined>();
  const levelSensors = (sensors.data ?? []).filter((s) => s.kind === 'level');
  const set = <K extends keyof TankFormValues>(key: K, value: TankFormValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const postalCode = v.postalCode.trim();

  // The suppliers serving this postal code for this product; asked again when either changes.
  useEffect(() => {
    if (postalCode === '') {
      setSuppliers(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      app.api.suppliers({ postalCode, product: v.product }).then(
        (list) => live && setSuppliers(list),
        () => live && setSuppliers([]),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [app, postalCode, v.product]);

  const submit = (e: Event) => {
    e.preventDefault();
    const checked = checkTankForm(v);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    props.onSave(checked.body);
  };
  const text = (key: keyof TankFormValues, label: string, extra: { hint?: string; inputMode?: 'numeric' | 'decimal' } = {}) => (
    <Field id={`tank-${key}`} label={label} error={errors[key]} {...(extra.hint === undefined ? {} : { hint: extra.hint })}>
      {(aria) => (
        <input {...aria} type="text" inputMode={extra.inputMode} value={v[key] as string} onInput={(e) => set(key, e.currentTarget.value as never)} />
      )}
    </Field>
  );

  return (
    <form class="card" onSubmit={submit} noValidate aria-label={props.tank === undefined ? 'New tank' : `Edit ${props.tank.name}`}>
      <h2>{props.tank === undefined ? 'Add a tank' : `Edit ${props.tank.name}`}</h2>
      <div class="form-row spaced">
        {text('name', 'Name')}
        <Field id="tank-product" label="Holds">
          {(aria) => (
            <select {...aria} value={v.product} onChange={(e) => set('product', e.currentTarget.value as TankFormValues['product'])}>
              {Object.entries(PRODUCT_WORDS).map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('capacityLitres', 'Capacity (litres)', { inputMode: 'numeric' })}
        {text('lowThreshold', 'Low below (%)', { inputMode: 'decimal' })}
        {text('reorderLevel', 'Reorder at (%)', { inputMode: 'decimal', hint: 'The forecast says when the tank reaches this level.' })}
        <Field id="tank-sensorId" label="Level sensor" hint={levelSensors.length === 0 ? 'No level sensor yet: enter levels by hand.' : 'Or none: enter levels by hand.'}>
          {(aria) => (
            <select {...aria} value={v.sensorId} onChange={(e) => set('sensorId', e.currentTarget.value)}>
              <option value="">None</option>
              {levelSensors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name ?? s.sensorId}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset class="spaced">
        <legend>Delivery address</legend>
        <div class="form-row">
          {text('street', 'Street')}
          {text('city', 'City')}
          {text('postalCode', 'Postal code')}
          {text('country', 'Country', { hint: 'Two letters, e.g. GB' })}
        </div>
        {text('accessNotes', 'Access notes', { hint: 'Optional: gate code, where the tank is.' })}
      </fieldset>
      <fieldset class="spaced">
        <legend>Refills</legend>
        <Field id="tank-preferredSupplierId" label="Preferred supplier" error={errors.preferredSupplierId} hint={suppliers === undefined ? 'Enter the postal code to see the suppliers serving it.' : suppliers.length === 0 ? 'No supplier serves this postal code for this product yet.' : undefined}>
          {(aria) => (
            <select {...aria} value={v.preferredSupplierId} onChange={(e) => set('preferredSupplierId', e.currentTarget.value)}>
              <option value="">None</option>
              {(suppliers ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.company}
                  {s.rating === null ? '' : ` · ${app.formats.number(s.rating)} ★`}
                </option>
              ))}
              {v.preferredSupplierId !== '' && suppliers !== undefined && !suppliers.some((s) => s.id === v.preferredSupplierId) && <option value={v.preferredSupplierId}>The current supplier (not serving this postal code)</option>}
            </select>
          )}
        </Field>
        <label class="check">
          <input type="checkbox" checked={v.autoOrder} onChange={(e) => set('autoOrder', e.currentTarget.checked)} />
          Order automatically from the preferred supplier at the reorder level
        </label>
      </fieldset>
      <div class="actions spaced">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={props.busy}>
          {props.tank === undefined ? 'Add the tank' : 'Save'}
        </button>
      </div>
    </form>
  );
}
