/**
 * A notification as an email: subject, plain text and HTML. Every piece of text
 * that comes from a user or a gateway (names, titles, messages, links) is escaped
 * in the HTML; only http(s) links become hrefs. The HTML is a single column with
 * inline styles, which is what mail clients render reliably.
 */
import { adviceFor } from '../advice.js';
import { headline, isWebLink, oneLine, SEVERITY_WORDS, whenFormatter, type NotificationMessage, type WhenFormatter } from '../message.js';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const FOOTER = 'You get this because your EasyGas account sends its alerts to this address.';

/** Renders one message; a channel passes its own `formatWhen` so time formatters are built once. */
export function renderEmail(message: NotificationMessage, formatWhen: WhenFormatter = whenFormatter()): RenderedEmail {
  const when = formatWhen(message.occurredAt, message.timeZone);
  return { subject: headline(message), text: renderText(message, when), html: renderHtml(message, when) };
}

function actionLinks(message: NotificationMessage): { label: string; url: string }[] {
  const links: { label: string; url: string }[] = [];
  const { acknowledge, dashboard } = message.links;
  if (acknowledge !== undefined && isWebLink(acknowledge)) links.push({ label: 'Acknowledge (stops the reminders)', url: acknowledge });
  if (isWebLink(dashboard)) links.push({ label: 'Open the dashboard', url: dashboard });
  return links;
}

function renderText(message: NotificationMessage, when: string): string {
  const words = SEVERITY_WORDS[message.severity];
  const advice = adviceFor(message.kind, message.severity);
  const lines = [`${words.headline.toUpperCase()}`, '', oneLine(message.title), '', message.body.trim(), ''];
  if (advice.length > 0) {
    lines.push(message.severity === 'critical' ? 'What to do now:' : 'What to do:');
    for (const step of advice) lines.push(`- ${step}`);
    lines.push('');
  }
  for (const link of actionLinks(message)) lines.push(`${link.label}: ${link.url}`);
  lines.push(`When: ${when}`, '', '-- ', oneLine(message.reason ?? FOOTER));
  if (isWebLink(message.links.unsubscribe)) lines.push(`Stop these emails: ${message.links.unsubscribe}`);
  return `${lines.join('\n')}\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function button(label: string, url: string, colour: string): string {
  return `<a href="${escapeHtml(url)}" style="display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:4px;background:${colour};color:#ffffff;text-decoration:none;font-weight:bold">${escapeHtml(label)}</a>`;
}

function renderHtml(message: NotificationMessage, when: string): string {
  const words = SEVERITY_WORDS[message.severity];
  const advice = adviceFor(message.kind, message.severity);
  const adviceHtml =
    advice.length === 0
      ? ''
      : `<p style="margin:0 0 6px;font-weight:bold">${message.severity === 'critical' ? 'What to do now' : 'What to do'}</p>` +
        `<ol style="margin:0 0 16px;padding-left:20px">${advice.map((s) => `<li style="margin:0 0 4px">${escapeHtml(s)}</li>`).join('')}</ol>`;
  const buttons = actionLinks(message)
    .map((l, i) => button(l.label, l.url, i === 0 ? words.colour : '#555555'))
    .join('');
  const unsubscribe = isWebLink(message.links.unsubscribe)
    ? ` <a href="${escapeHtml(message.links.unsubscribe)}" style="color:#666666">Stop these emails</a>.`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(headline(message))}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f4f4;font-family:Arial,Helvetica,sans-serif;color:#222222">',
    '<div style="max-width:600px;margin:0 auto;background:#ffffff">',
    `<div style="background:${words.colour};color:#ffffff;padding:16px 20px;font-size:20px;font-weight:bold">${escapeHtml(words.headline)}</div>`,
    '<div style="padding:20px">',
    `<h1 style="margin:0 0 12px;font-size:18px">${escapeHtml(oneLine(message.title))}</h1>`,
    paragraphs(message.body),
    adviceHtml,
    `<div style="margin:0 0 12px">${buttons}</div>`,
    `<p style="margin:0;color:#666666;font-size:13px">${escapeHtml(when)}</p>`,
    '</div>',
    `<div style="padding:12px 20px;border-top:1px solid #dddddd;color:#666666;font-size:12px">${escapeHtml(oneLine(message.reason ?? FOOTER))}${unsubscribe}</div>`,
    '</div></body></html>',
  ].join('\n');
}
