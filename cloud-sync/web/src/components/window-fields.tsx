/** The start and end of a delivery window (datetime-local), with the error on the field it concerns. */
import type { JSX } from 'preact';
import { Field } from './ui.js';

export interface WindowText {
  start: string;
  end: string;
}

export function WindowFields(props: { idPrefix: string; value: WindowText; error?: { field: 'start' | 'end'; error: string } | undefined; onChange: (v: WindowText) => void }): JSX.Element {
  const { value, error } = props;
  return (
    <div class="form-row">
      <Field id={`${props.idPrefix}-start`} label="Deliver from" error={error?.field === 'start' ? error.error : undefined}>
        {(aria) => <input {...aria} type="datetime-local" value={value.start} onInput={(e) => props.onChange({ ...value, start: e.currentTarget.value })} />}
      </Field>
      <Field id={`${props.idPrefix}-end`} label="Deliver by" error={error?.field === 'end' ? error.error : undefined}>
        {(aria) => <input {...aria} type="datetime-local" value={value.end} onInput={(e) => props.onChange({ ...value, end: e.currentTarget.value })} />}
      </Field>
    </div>
  );
}

/** Tomorrow 08:00 to the day after at 18:00, local time: a window most suppliers can meet. */
export function defaultWindow(now: number, toLocal: (at: number) => string): WindowText {
  const start = new Date(now);
  start.setDate(start.getDate() + 1);
  start.setHours(8, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  end.setHours(18, 0, 0, 0);
  return { start: toLocal(start.getTime()), end: toLocal(end.getTime()) };
}
