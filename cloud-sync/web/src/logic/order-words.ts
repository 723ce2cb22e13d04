/** Order statuses and actions in words, the open statuses, and a window as text. */
import type { DeliveryWindow, OrderStatus } from '../api/types.js';
import type { PillTone } from '../components/ui.js';
import type { Formats } from './format.js';

export const STATUS_WORDS: Readonly<Record<OrderStatus, string>> = {
  placed: 'Placed',
  acknowledged: 'Acknowledged by the supplier',
  scheduled: 'Delivery scheduled',
  in_transit: 'On its way',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export const STATUS_TONE: Readonly<Record<OrderStatus, PillTone>> = {
  placed: 'info',
  acknowledged: 'info',
  scheduled: 'info',
  in_transit: 'warning',
  delivered: 'ok',
  cancelled: 'neutral',
};

export const isOpen = (status: OrderStatus): boolean => status !== 'delivered' && status !== 'cancelled';

export function windowWords(w: DeliveryWindow, formats: Formats, now: number): string {
  return `${formats.dateTime(w.start, now)} – ${formats.dateTime(w.end, now)}`;
}

/** `datetime-local` text ↔ epoch ms in the browser's zone. */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A requested delivery window from the two inputs, or what is wrong with it (naming the field). */
export function checkWindow(start: string, end: string, now: number): { ok: true; window: DeliveryWindow } | { ok: false; field: 'start' | 'end'; error: string } {
  const s = new Date(start).getTime();
  const e = new Date(end).getTime();
  if (start === '' || !Number.isFinite(s)) return { ok: false, field: 'start', error: 'Choose when the window starts.' };
  if (end === '' || !Number.isFinite(e)) return { ok: false, field: 'end', error: 'Choose when the window ends.' };
  if (s < now) return { ok: false, field: 'start', error: 'The window cannot start in the past.' };
  if (e <= s) return { ok: false, field: 'end', error: 'The window must end after it starts.' };
  return { ok: true, window: { start: s, end: e } };
}
