/** One banner per active alarm; its colour, icon and words follow the alarm's severity. */
import type { JSX } from 'preact';
import { useApp } from '../context.js';
import { alarmWords, type ActiveAlarm } from '../logic/alarms.js';
import { sensorPath } from '../router.js';
import { Link } from './ui.js';

const ICON = { critical: '⚠', warning: '⚠', info: 'ℹ' } as const;

export function AlarmBanners(props: { alarms: readonly ActiveAlarm[]; sensorName: (id: string | null) => string }): JSX.Element | null {
  const { formats, now } = useApp();
  if (props.alarms.length === 0) return null;
  return (
    <section class="banners" aria-label="Active alarms">
      {props.alarms.map((alarm) => {
        const words = alarmWords(alarm, props.sensorName(alarm.sensorId));
        return (
          <div key={alarm.key} class={`banner ${words.tone}`} role={words.tone === 'critical' ? 'alert' : 'status'}>
            <span class="icon" aria-hidden="true">
              {ICON[words.tone]}
            </span>
            <div>
              <h2>
                {words.headline}
                <span class="sr-only"> ({words.tone === 'critical' ? 'critical' : words.tone})</span>
              </h2>
              <p>{words.advice}</p>
              <p class="small">
                {alarm.message} · since {formats.dateTime(alarm.at, now())}
                {alarm.sensorId !== null && (
                  <>
                    {' · '}
                    <Link href={sensorPath(alarm.sensorId)}>see the sensor</Link>
                  </>
                )}
              </p>
            </div>
          </div>
        );
      })}
    </section>
  );
}
