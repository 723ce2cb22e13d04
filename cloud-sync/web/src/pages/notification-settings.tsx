/**
 * /settings/notifications: where notifications go (email, SMS, webhooks, this
 * browser's push), each with its state and a test; emergency contacts; and quiet hours.
 */
import type { JSX } from 'preact';
import { AddChannelForm } from '../components/add-channel-form.js';
import { ChannelList } from '../components/channel-list.js';
import { EmergencyContacts } from '../components/emergency-contacts.js';
import { PushSetting } from '../components/push-setting.js';
import { QuietHoursForm } from '../components/quiet-hours-form.js';
import { FailureNotice, Link, Loading } from '../components/ui.js';
import { useApp, usePageName } from '../context.js';
import { useStore } from '../data/hooks.js';

export function NotificationSettingsPage(): JSX.Element {
  usePageName('Alert channels');
  const app = useApp();
  const me = useStore(app.data.me);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Alert channels</h1>
          <p class="muted">Where EasyGas tells you about alarms, and when it keeps quiet.</p>
        </div>
        <Link class="button" href="/notifications">
          Notifications
        </Link>
      </div>
      <div class="settings-grid">
        <div class="column">
          <section aria-labelledby="channels-title">
            <h2 id="channels-title">Your channels</h2>
            <ChannelList />
          </section>
          <AddChannelForm />
          <EmergencyContacts />
        </div>
        <div class="column">
          <PushSetting />
          {me.data === undefined ? (
            me.error !== undefined ? <FailureNotice failure={me.error} retry={() => void app.data.me.refresh()} /> : <Loading what="your quiet hours" />
          ) : (
            <QuietHoursForm prefs={me.data.notificationPreferences} />
          )}
        </div>
      </div>
    </>
  );
}
