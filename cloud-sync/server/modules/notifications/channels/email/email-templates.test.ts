import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gasAlarm, lowLevelWarning, resolvedGas } from '../test-support/messages.js';
import { renderEmail } from './email-templates.js';

describe('email templates', () => {
  it('escape everything a user or gateway wrote, in text and attributes', () => {
    const email = renderEmail(
      gasAlarm({
        title: 'Kitchen <script>alert(1)</script>',
        body: 'Reading "><img src=x onerror=alert(1)> & more',
        links: { dashboard: 'https://easygas.example/a?x="><b>', unsubscribe: 'https://easygas.example/u?t=1&x=\'y' },
      }),
    );
    assert.doesNotMatch(email.html, /<script>|<img|<b>|onerror=alert/);
    assert.match(email.html, /Kitchen &#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.match(email.html, /href="https:\/\/easygas\.example\/a\?x&#61;&#34;&#62;&#60;b&#62;"/);
    assert.match(email.html, /href="https:\/\/easygas\.example\/u\?t&#61;1&#38;x&#61;&#39;y"/);
    assert.match(email.text, /Kitchen <script>alert\(1\)<\/script>/, 'plain text stays as written');
  });

  it('keep control characters out of the subject (no header injection)', () => {
    const email = renderEmail(gasAlarm({ title: 'Kitchen\r\nBcc: victim@example.com' }));
    assert.equal(email.subject, 'ALARM: Kitchen Bcc: victim@example.com');
  });

  it('match words to severity: only an alarm says ALARM and what to do now; resolved asks nothing', () => {
    const alarm = renderEmail(gasAlarm());
    assert.match(alarm.subject, /^ALARM: /);
    assert.match(alarm.text, /What to do now:\n- Leave the building now.*\n- Do not switch lights/);
    assert.match(alarm.text, /close the gas cylinder valve/);
    assert.match(alarm.html, /<ol[^>]*><li[^>]*>Leave the building now/);

    const warning = renderEmail(lowLevelWarning());
    assert.match(warning.subject, /^Warning: /);
    assert.match(warning.text, /^WARNING: CHECK SOON\n/);
    assert.match(warning.text, /What to do:\n- Order a refill soon\./);
    assert.doesNotMatch(warning.text, /ALARM|act now/i);

    const resolved = renderEmail(resolvedGas());
    assert.match(resolved.subject, /^Resolved: Kitchen gas: gas alarm$/);
    assert.match(resolved.text, /^RESOLVED: BACK TO NORMAL\n/);
    assert.doesNotMatch(resolved.text, /What to do|Leave the building|Acknowledge/);
    assert.match(resolved.html, /background:#1d6b36/);
  });

  it('write the time in the recipient’s zone, and UTC for an unknown zone', () => {
    assert.match(renderEmail(gasAlarm({ timeZone: 'Europe/Berlin' })).text, /When: 15 Jan 2026, 13:00 CET/);
    assert.match(renderEmail(gasAlarm({ timeZone: 'Mars/Olympus' })).text, /When: 15 Jan 2026, 12:00 UTC/);
  });
});
