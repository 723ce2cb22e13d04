/**
 * Quiet hours (PATCH /api/users/notification-preferences): warnings wait until the
 * end, in the chosen time zone; critical alarms always go through.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { NotificationPreferences } from '../api/types.js';
import { useApp } from '../context.js';
import { fieldIssues } from '../logic/error-words.js';
import { Field } from './ui.js';
import { useAction } from './use-action.js';

type QuietHours = NonNullable<NotificationPreferences['quietHours']>;

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export function QuietHoursForm(props: { prefs: NotificationPreferences }): JSX.Element {
  const app = useApp();
  const saved = props.prefs.quietHours ?? null;
  const [on, setOn] = useState(saved !== null);
  const [hours, setHours] = useState<QuietHours>(saved ?? { start: '22:00', end: '07:00', timeZone: browserZone() });
  // By value: a refresh of the profile brings an equal object, which must not undo what is being typed.
  const savedKey = JSON.stringify(saved);
  useEffect(() => {
    setOn(saved !== null);
    if (saved !== null) setHours(saved);
  }, [savedKey]);
  const { busy, failure, run, status } = useAction();
  const issues = failure === undefined ? {} : fieldIssues(failure);
  const quietIssue = issues.quietHours;
  return (
    <section class="card" aria-labelledby="quiet-title">
      <h2 id="quiet-title">Quiet hours</h2>
      <form
        class="spaced"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const next = await app.api.updatePreferences({ quietHours: on ? hours : null });
            app.data.me.update((u) => (u === undefined ? u : { ...u, notificationPreferences: next }));
          }, on ? `Quiet from ${hours.start} to ${hours.end} (${hours.timeZone}).` : 'Quiet hours are off.');
        }}
      >
        {status}
        <p class="small muted">Warnings and news wait until the quiet hours end. Critical alarms (gas, a water leak) always go through at once.</p>
        <label class="check">
          <input type="checkbox" checked={on} onChange={(e) => setOn(e.currentTarget.checked)} /> Keep quiet at night
        </label>
        {on && (
          <>
            <div class="form-row">
              <Field id="quiet-start" label="From" error={quietIssue}>
                {(aria) => <input {...aria} type="time" required value={hours.start} onInput={(e) => setHours({ ...hours, start: e.currentTarget.value })} />}
              </Field>
              <Field id="quiet-end" label="Until">
                {(aria) => <input {...aria} type="time" required value={hours.end} onInput={(e) => setHours({ ...hours, end: e.currentTarget.value })} />}
              </Field>
            </div>
            <Field id="quiet-zone" label="Time zone" hint="Where you are: the hours follow its clock, summer time included.">
              {(aria) => (
                <select {...aria} value={hours.timeZone} onChange={(e) => setHours({ ...hours, timeZone: e.currentTarget.value })}>
                  {zones(hours.timeZone).map((z) => (
                    <option key={z} value={z}>
                      {z.replace(/_/g, ' ')}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        <div>
          <button type="submit" class="primary" disabled={busy}>
            Save quiet hours
          </button>
        </div>
      </form>
    </section>
  );
}
