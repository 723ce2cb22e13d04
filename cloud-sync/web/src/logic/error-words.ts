/**
 * The dashboard's catalogue of API failures in a homeowner's words: what happened
 * and what to do (the server's own messages speak to developers). Keyed by the
 * server's codes, so a new code is a type error here until it has words.
 */
import type { ApiFailure } from '../api/api-failure.js';
import type { ApiErrorCode } from '../api/types.js';

export interface FailureWords {
  readonly title: string;
  readonly action: string;
}

const WORDS: Readonly<Record<ApiErrorCode, FailureWords>> = {
  EASYGAS_VALIDATION: { title: 'Some fields need another look', action: 'Correct the fields marked below and try again.' },
  EASYGAS_INVALID_JSON: { title: 'The dashboard sent something the cloud could not read', action: 'Reload the page and try again.' },
  EASYGAS_BAD_REQUEST: { title: 'The cloud could not use that request', action: 'Reload the page and try again.' },
  EASYGAS_BAD_GZIP: { title: 'The cloud could not read that request', action: 'Reload the page and try again.' },
  EASYGAS_UNSUPPORTED_ENCODING: { title: 'The cloud could not read that request', action: 'Reload the page and try again.' },
  EASYGAS_UNSUPPORTED_MEDIA_TYPE: { title: 'The cloud could not read that request', action: 'Reload the page and try again.' },
  EASYGAS_BODY_TOO_LARGE: { title: 'That is too much to send at once', action: 'Shorten the text and try again.' },
  EASYGAS_BAD_CONTENT_LENGTH: { title: 'The request arrived incomplete', action: 'Check your connection and try again.' },
  EASYGAS_AUTH_REQUIRED: { title: 'You are signed out', action: 'Sign in again to continue.' },
  EASYGAS_TOKEN_INVALID: { title: 'Your session has ended', action: 'Sign in again to continue.' },
  EASYGAS_BAD_CREDENTIALS: { title: 'That email and password do not match', action: 'Check both and try again, or register if you have no account yet.' },
  EASYGAS_REFRESH_TOKEN_INVALID: { title: 'Your session has ended', action: 'Sign in again to continue.' },
  EASYGAS_REFRESH_TOKEN_REUSED: {
    title: 'You were signed out for safety',
    action: 'Your session was used from two places at once, so every session was ended. Sign in again, and change your password if this was not you.',
  },
  EASYGAS_CSRF_REJECTED: { title: 'The cloud refused to renew your session from this page', action: 'Open the dashboard from its own address and sign in again.' },
  EASYGAS_GATEWAY_AUTH_REQUIRED: { title: 'That is a gateway-only action', action: 'Nothing to do here.' },
  EASYGAS_GATEWAY_CREDENTIAL_INVALID: { title: 'The gateway’s credential is no longer valid', action: 'Add the gateway again with a new claim code.' },
  EASYGAS_TANK_DEVICE_CREDENTIAL_INVALID: { title: 'The tank device’s token is no longer valid', action: 'Issue a new device token on the tank and put it on the device.' },
  EASYGAS_WEBHOOK_SIGNATURE_INVALID: { title: 'A payment provider’s call was not signed right', action: 'Nothing to do here: it is the provider’s call.' },
  EASYGAS_WRONG_PASSWORD: { title: 'The current password is wrong', action: 'Nothing was changed. Type your current password again.' },
  EASYGAS_FORBIDDEN: { title: 'Your account may not do this', action: 'This page is for another kind of account (customer, supplier or admin).' },
  EASYGAS_ROLE_FORBIDDEN: { title: 'That kind of account cannot be created here', action: 'Register as a customer.' },
  EASYGAS_EMAIL_TAKEN: { title: 'An account with this email already exists', action: 'Sign in instead, or use another email.' },
  EASYGAS_ORDER_STATE: { title: 'The order has moved on', action: 'Its status changed (perhaps in another window, or by the supplier). Reload to see what you can do now.' },
  EASYGAS_ORDER_OPEN: { title: 'This tank already has an open order', action: 'Cancel or reschedule that order instead of placing a second one.' },
  EASYGAS_TANK_HAS_OPEN_ORDER: { title: 'This tank has an open order', action: 'Cancel the order (or wait for the delivery) before deleting the tank.' },
  EASYGAS_ALREADY_REVIEWED: { title: 'You have reviewed this order already', action: 'One review per delivery.' },
  EASYGAS_CLAIM_CODE_INVALID: { title: 'That claim code cannot be used', action: 'It is unknown, used or expired: make a new one with “Add a gateway”.' },
  EASYGAS_LINK_INVALID: { title: 'That link cannot be used', action: 'It is unknown, already used or expired: ask for a new one.' },
  EASYGAS_CHANNEL_UNVERIFIED: { title: 'This address is not verified yet', action: 'Open the link in the verification email we sent to it, or resend the link.' },
  EASYGAS_CHANNEL_DISABLED: { title: 'This address was turned off', action: 'Its provider refused it (see the reason beside it). Fix the address, then add it again.' },
  EASYGAS_PUSH_NOT_CONFIGURED: { title: 'This cloud does not send push notifications', action: 'Its operator has not set it up: use email, SMS or a webhook instead.' },
  EASYGAS_NOT_FOUND: { title: 'It is no longer there', action: 'It may have been deleted in another window. Reload the page.' },
  EASYGAS_ROUTE_NOT_FOUND: { title: 'The cloud does not offer that', action: 'The dashboard may be newer than the cloud: reload the page.' },
  EASYGAS_RULE_SENSOR_MISMATCH: { title: 'That rule does not fit this sensor', action: 'Low-level and sudden-drop rules watch tanks; gas rules watch gas sensors.' },
  EASYGAS_NOT_A_LEVEL_SENSOR: { title: 'Usage is only counted for tanks', action: 'Choose a tank-level sensor.' },
  EASYGAS_RANGE_INVALID: { title: 'That time range does not work', action: 'Choose a start before the end, at most a year apart.' },
  EASYGAS_RATE_LIMITED: { title: 'Too many attempts', action: 'Wait a minute, then try again.' },
  EASYGAS_DB_UNAVAILABLE: { title: 'The cloud is having trouble', action: 'Its database is not answering. The dashboard retries by itself; your gateway keeps every reading meanwhile.' },
  EASYGAS_SHUTTING_DOWN: { title: 'The cloud is restarting', action: 'Wait a moment: the dashboard tries again by itself.' },
  EASYGAS_STORAGE_FULL: { title: 'The cloud has run out of room', action: 'Nothing was lost: your gateway keeps its readings and sends them once the cloud has space again. Tell the cloud\'s operator.' },
  EASYGAS_INTERNAL: { title: 'Something went wrong in the cloud', action: 'Try again. If it keeps happening, tell support the time it happened.' },
};

export function failureWords(failure: ApiFailure): FailureWords {
  const known = (WORDS as Readonly<Record<string, FailureWords>>)[failure.code];
  if (known !== undefined) return known;
  if (failure.status === 0) {
    return { title: 'The cloud cannot be reached', action: 'Check your internet connection. The dashboard retries by itself; your gateway keeps alarming and keeps every reading meanwhile.' };
  }
  if (failure.status >= 500) return { title: 'The cloud is having trouble', action: 'The dashboard retries by itself. Try again in a minute.' };
  return { title: 'That did not work', action: `The cloud answered ${failure.status}. Reload the page and try again.` };
}

/** Field messages from a validation answer, by the form field they belong to ("body.name" or "name" → "name"). */
export function fieldIssues(failure: ApiFailure): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const issue of failure.issues) {
    const field = issue.path.replace(/^(body|query)\./, '').split(/[.[]/)[0] ?? issue.path;
    out[field] ??= issue.message;
  }
  return out;
}
