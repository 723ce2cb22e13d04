/**
 * A notification as every channel receives it, before it is rendered for that
 * channel (an email's text and HTML, a push payload, an SMS line, a webhook body).
 */
export type MessageSeverity = 'critical' | 'warning' | 'info' | 'resolved';

export interface MessageLinks {
  /** Where the dashboard shows this alert. */
  readonly dashboard: string;
  /** A one-click link that acknowledges the alert (stops its reminders); critical alerts have one. */
  readonly acknowledge?: string;
  /** A one-click link that stops this kind of message to this address. */
  readonly unsubscribe: string;
}

export interface NotificationMessage {
  /** Unique per delivery: the SMTP Message-ID, the webhook's delivery id. */
  readonly id: string;
  /**
   * The alert this message is a state of (gateway, sensor, condition): a newer state
   * of the same alert replaces the older one on a device, and threads with it in a mailbox.
   */
  readonly topicKey: string;
  readonly severity: MessageSeverity;
  /** The event type: gas, water_leak, low_level, sudden_drop, sensor_fault, device_offline, test… */
  readonly kind: string;
  /** One line, e.g. "Kitchen: gas alarm". */
  readonly title: string;
  /** What happened, in a sentence or two. */
  readonly body: string;
  /** When it happened (UTC epoch ms). */
  readonly occurredAt: number;
  /** The recipient's IANA time zone for times in the text (default UTC). */
  readonly timeZone?: string;
  readonly links: MessageLinks;
  /** Why the recipient gets this, for an email's footer (default: their account sends its alerts there). */
  readonly reason?: string;
}

interface SeverityWords {
  /** The word in a subject line or at the head of an SMS. */
  readonly label: string;
  /** The head of the message body. */
  readonly headline: string;
  /** The banner colour of the HTML email. */
  readonly colour: string;
}

/** The words match the severity: only a critical alert is an ALARM, and "resolved" says it is over. */
export const SEVERITY_WORDS: Readonly<Record<MessageSeverity, SeverityWords>> = {
  critical: { label: 'ALARM', headline: 'Alarm: act now', colour: '#b00020' },
  warning: { label: 'Warning', headline: 'Warning: check soon', colour: '#a15c00' },
  info: { label: 'Notice', headline: 'For your information', colour: '#30507a' },
  resolved: { label: 'Resolved', headline: 'Resolved: back to normal', colour: '#1d6b36' },
};

/** "ALARM: Kitchen: gas alarm"; control characters cannot reach a header or an SMS. */
export function headline(message: NotificationMessage): string {
  return `${SEVERITY_WORDS[message.severity].label}: ${oneLine(message.title)}`;
}

export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

export type WhenFormatter = (at: number, timeZone?: string) => string;

const WHEN_OPTIONS: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', hourCycle: 'h23' };
const ZONES_KEPT = 64;

/**
 * "15 Jan 2026, 13:00 CET" in the recipient's zone; an unknown zone falls back to
 * UTC. Building an Intl formatter costs ~0.5 ms, so a channel keeps one per zone.
 */
export function whenFormatter(): WhenFormatter {
  const byZone = new Map<string, Intl.DateTimeFormat>();
  const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
    let formatter = byZone.get(timeZone);
    if (formatter === undefined) {
      try {
        formatter = new Intl.DateTimeFormat('en-GB', { ...WHEN_OPTIONS, timeZone });
      } catch {
        formatter = timeZone === 'UTC' ? new Intl.DateTimeFormat('en-GB', { ...WHEN_OPTIONS, timeZone: 'UTC' }) : formatterFor('UTC');
      }
      if (byZone.size >= ZONES_KEPT) byZone.clear();
      byZone.set(timeZone, formatter);
    }
    return formatter;
  };
  return (at, timeZone = 'UTC') => formatterFor(timeZone).format(at);
}

/** Only http(s) links are ever rendered: a `javascript:` URL must not reach an href. */
export function isWebLink(link: string): boolean {
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The problems of a message that no channel can render; empty when it is fine. */
export function messageProblems(message: NotificationMessage): string[] {
  const problems: string[] = [];
  if (message.id.trim() === '') problems.push('id is empty');
  if (message.topicKey.trim() === '') problems.push('topicKey is empty');
  if (oneLine(message.title) === '') problems.push('title is empty');
  if (!Number.isFinite(message.occurredAt)) problems.push('occurredAt is not a time');
  const links: [string, string | undefined][] = [
    ['dashboard', message.links.dashboard],
    ['acknowledge', message.links.acknowledge],
    ['unsubscribe', message.links.unsubscribe],
  ];
  for (const [name, link] of links) {
    if (link !== undefined && !isWebLink(link)) problems.push(`links.${name} is not an http(s) URL`);
  }
  return problems;
}
