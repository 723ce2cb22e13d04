/**
 * A Wi-Fi sensor node's reading, as it arrives on <base>/nodes/<node>[/<unit>]/reading:
 * a plain number (`21.5`), `true`/`false` (a leak contact), or JSON
 * `{ "value": 21.5, "unit": "a", "ts": 1764000000, "warmingUp": false }`, or instead of a
 * value a fault: `{ "fault": "no_echo", "message": "…" }` (any sample fault code), so a
 * node's dropout is a fault the gateway can name, not silence.
 * Anything else is rejected with a reason that is counted and logged, never guessed
 * at: hex, empty text, NaN, a number in quotes, a value that is not a number.
 * Unknown JSON keys (rssi, battery…) are ignored. Pure.
 */

import { FAULT_CODES, isFaultCode, type FaultCode } from '../../hardware/fault.js';

export const NODE_REJECTIONS = [
  'oversized',
  'malformed',
  'wrong_type',
  'not_finite',
  'unknown_node',
  'unknown_unit',
  'stale_retained',
] as const;
export type NodeRejection = (typeof NODE_REJECTIONS)[number];

export interface NodePayload {
  /** Absent exactly when `fault` is given. */
  readonly value?: number | boolean;
  /** Why the node has no value this time. */
  readonly fault?: { readonly code: FaultCode; readonly message?: string };
  /** Which of the node's sensors, when it has several. */
  readonly unit?: string;
  /** The node's own timestamp, UTC epoch ms (seconds are converted). */
  readonly tsMs?: number;
  readonly warmingUp?: boolean;
}

export type ParsedNodePayload =
  | { readonly ok: true; readonly payload: NodePayload }
  | { readonly ok: false; readonly reason: NodeRejection; readonly detail: string };

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NOT_FINITE_WORDS = /^[+-]?(nan|inf|infinity)$/i;
const UNIT_RE = /^[a-z0-9][a-z0-9_-]*$/;
/** Below this a timestamp is in seconds (1e11 ms is 1973; 1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11;

const decoder = new TextDecoder('utf-8', { fatal: true });

function reject(reason: NodeRejection, detail: string): ParsedNodePayload {
  return { ok: false, reason, detail };
}

function preview(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

export function parseNodePayload(bytes: Uint8Array, maxBytes: number): ParsedNodePayload {
  if (bytes.length > maxBytes) return reject('oversized', `${bytes.length} bytes, more than mqtt.maxPayloadBytes (${maxBytes})`);
  let text: string;
  try {
    text = decoder.decode(bytes).trim();
  } catch {
    return reject('malformed', 'not UTF-8 text');
  }
  if (text === '') return reject('malformed', 'empty payload');
  if (PLAIN_NUMBER.test(text)) return number(Number(text), text);
  if (NOT_FINITE_WORDS.test(text)) return reject('not_finite', `${preview(text)} is not a finite number`);
  if (text === 'true' || text === 'false') return { ok: true, payload: { value: text === 'true' } };
  if (!text.startsWith('{')) return reject('malformed', `${preview(text)} is neither a number nor a JSON object`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return reject('malformed', `${preview(text)} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return reject('wrong_type', 'the JSON must be an object');
  return fields(parsed as Record<string, unknown>);
}

function number(value: number, text: string): ParsedNodePayload {
  return Number.isFinite(value) ? { ok: true, payload: { value } } : reject('not_finite', `${preview(text)} is not a finite number`);
}

/** `"fault"` instead of `"value"`: a known sample fault code, with an optional message. */
function faultField(json: Record<string, unknown>): { readonly code: FaultCode; readonly message?: string } | ParsedNodePayload {
  const { fault, message } = json;
  if (json.value !== undefined) return reject('wrong_type', 'send either "value" or "fault", not both');
  if (typeof fault !== 'string' || !isFaultCode(fault)) {
    return reject('wrong_type', `"fault" must be one of ${FAULT_CODES.join(', ')}`);
  }
  if (message !== undefined && (typeof message !== 'string' || message.length > 200)) return reject('wrong_type', '"message" must be text of at most 200 characters');
  return message === undefined ? { code: fault } : { code: fault, message };
}

function fields(json: Record<string, unknown>): ParsedNodePayload {
  const { value, unit, ts, warmingUp } = json;
  let checked: number | boolean | undefined;
  let fault: { readonly code: FaultCode; readonly message?: string } | undefined;
  if (json.fault !== undefined) {
    const given = faultField(json);
    if ('ok' in given) return given;
    fault = given;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return reject('not_finite', '"value" is not a finite number');
    checked = value;
  } else if (typeof value === 'boolean') {
    checked = value;
  } else {
    return reject('wrong_type', value === undefined ? 'no "value"' : `"value" must be a number, not ${typeName(value)}`);
  }
  if (unit !== undefined && (typeof unit !== 'string' || !UNIT_RE.test(unit))) {
    return reject('wrong_type', '"unit" must be the id of one of the node\'s sensors (lowercase letters, digits, - and _)');
  }
  let tsMs: number | undefined;
  if (ts !== undefined) {
    if (typeof ts !== 'number') return reject('wrong_type', `"ts" must be a number (epoch seconds or ms), not ${typeName(ts)}`);
    if (!Number.isFinite(ts) || ts <= 0) return reject('not_finite', '"ts" must be a positive, finite epoch time');
    tsMs = ts < SECONDS_BELOW ? ts * 1000 : ts;
  }
  if (warmingUp !== undefined && typeof warmingUp !== 'boolean') return reject('wrong_type', '"warmingUp" must be true or false');
  return {
    ok: true,
    payload: {
      ...(checked !== undefined ? { value: checked } : {}),
      ...(fault !== undefined ? { fault } : {}),
      ...(unit !== undefined ? { unit } : {}),
      ...(tsMs !== undefined ? { tsMs } : {}),
      ...(warmingUp !== undefined ? { warmingUp } : {}),
    },
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'text' : typeof value;
}
