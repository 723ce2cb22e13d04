/**
 * Phone numbers in, E.164 out. Parsing and validation use libphonenumber-js with
 * its full metadata (Google's libphonenumber data, kept current by its maintainer):
 * a hand-written parser cannot know every country's lengths and prefixes, and a
 * number that merely looks right costs an SMS that goes nowhere. A number that is
 * definitely not a mobile (a landline, a premium line) is refused for SMS.
 */
import { parsePhoneNumberWithError, ParseError, type CountryCode, type NumberType } from 'libphonenumber-js/max';

export type PhoneNumberResult = { readonly ok: true; readonly e164: string } | { readonly ok: false; readonly reason: string };

const NOT_FOR_SMS: ReadonlySet<NumberType> = new Set(['FIXED_LINE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOICEMAIL', 'UAN', 'PAGER']);

const PARSE_REASONS: Readonly<Record<string, string>> = {
  INVALID_COUNTRY: 'write it with its country code, e.g. +44 7911 123456',
  NOT_A_NUMBER: 'it is not a phone number',
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'it has the wrong number of digits',
};

export function normalisePhoneNumber(input: string, defaultCountry?: CountryCode): PhoneNumberResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'it is empty' };
  if (text.length > 40) return { ok: false, reason: 'it is too long' };
  try {
    const number = parsePhoneNumberWithError(text, defaultCountry === undefined ? {} : { defaultCountry });
    if (number.ext !== undefined) return { ok: false, reason: 'an extension cannot receive SMS: give the mobile number alone' };
    if (!number.isValid()) return { ok: false, reason: `it is not a valid number${number.country === undefined ? '' : ` in ${number.country}`}` };
    const type = number.getType();
    if (type !== undefined && NOT_FOR_SMS.has(type)) return { ok: false, reason: `it is a ${type.toLowerCase().replace(/_/g, ' ')} number, which cannot receive SMS` };
    return { ok: true, e164: number.number };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: PARSE_REASONS[error.message] ?? 'it is not a phone number' };
    throw error;
  }
}
