/**
 * A notification as one short SMS: the severity word, the title, what happened,
 * the first thing to do for an alarm, and one link (acknowledge for alarms, so the
 * reminders stop; the dashboard otherwise). Kept within two concatenated GSM-7
 * segments (306 characters); the text is cut, never the link.
 */
import { adviceFor } from '../advice.js';
import { headline, isWebLink, oneLine, type NotificationMessage } from '../message.js';

export const MAX_SMS_CHARS = 306;

export function smsText(message: NotificationMessage): string {
  const ack = message.links.acknowledge;
  const link = message.severity === 'critical' && ack !== undefined && isWebLink(ack) ? `Acknowledge: ${ack}` : isWebLink(message.links.dashboard) ? message.links.dashboard : '';
  const firstStep = adviceFor(message.kind, message.severity)[0];
  const text = [`EasyGas ${headline(message)}.`, oneLine(message.body), firstStep].filter((s) => s !== undefined && s !== '').join(' ');
  const room = MAX_SMS_CHARS - (link === '' ? 0 : link.length + 1);
  const cut = text.length <= room ? text : `${text.slice(0, Math.max(0, room - 3)).trimEnd()}...`;
  return link === '' ? cut : `${cut}\n${link}`;
}
