/**
 * Claiming a gateway: a signed-in user asks for a one-time code (POST
 * /api/devices/claim-codes), types it into the gateway (`easygas cloud register`
 * or the setup page), and the gateway trades it for its own credential.
 */
import { Type, type Static } from 'typebox';
import { text } from './primitives.js';

/** Crockford base32 without I, L, O, U: nothing to misread. Shown as XXXX-XXXX. */
export const CLAIM_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CLAIM_CODE_LENGTH = 8;

export const RegisterDeviceRequest = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 32,
      errorMessage: 'must be the claim code shown in the app, e.g. "7KQ4-M2XD"',
    }),
    name: Type.Optional(text(120, 1)),
    version: Type.Optional(text(64, 1)),
    gatewayId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$',
        description: "The gateway's own id (its MQTT topics and status show it): the cloud adopts it unless another gateway has it, and answers the id it chose.",
        errorMessage: 'must be 1–64 letters, digits, "-" or "_"',
      }),
    ),
  },
  { title: 'GatewayRegistration', additionalProperties: false },
);
export type RegisterDeviceRequest = Static<typeof RegisterDeviceRequest>;

export const RegisterDeviceResponse = Type.Object(
  {
    gatewayId: Type.String(),
    /** Shown once: keep it (gateway.db). Send it as `Authorization: Bearer <credential>`. */
    credential: Type.String(),
  },
  { title: 'GatewayCredential', additionalProperties: false },
);
export type RegisterDeviceResponse = Static<typeof RegisterDeviceResponse>;

/**
 * "7kq4 m2xd", "7KQ4-M2XD" and "7KQ4M2XD" are the same code; O reads as 0, I and
 * L as 1, as Crockford intends. Returns undefined when it cannot be a code.
 */
export function normalizeClaimCode(input: string): string | undefined {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== CLAIM_CODE_LENGTH) return undefined;
  for (const ch of cleaned) if (!CLAIM_CODE_ALPHABET.includes(ch)) return undefined;
  return cleaned;
}

/** "7KQ4M2XD" → "7KQ4-M2XD". */
export function formatClaimCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
