/** Request and response schemas of /api/auth and /api/users. */
import { Type, type Static } from 'typebox';
import { Severity } from '../../../protocol/index.js';
import { Nullable, Timestamp } from '../../api/common.js';

export const Email = Type.String({ format: 'email', maxLength: 254, errorMessage: 'must be an email address' });
export const Password = Type.String({ minLength: 10, maxLength: 256, errorMessage: 'must be 10 to 256 characters (a few words make a good one)' });
const Name = Type.String({ minLength: 1, maxLength: 120 });
const Phone = Type.String({ pattern: '^\\+?[0-9 ()-]{5,24}$', errorMessage: 'must be a phone number, e.g. +44 7700 900123' });
/** `cookie`: the browser's form — the refresh token is set as an HttpOnly cookie and left out of the body. */
const RefreshTokenIn = Type.Optional(
  Type.Union([Type.Literal('body'), Type.Literal('cookie')], {
    description: 'Where the refresh token goes: `body` (default; scripts, the CLI) or `cookie` (a browser: HttpOnly, SameSite=Strict, sent only to /api/auth/session/*).',
  }),
);
export const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('supplier'), Type.Literal('admin')]);

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: Name, role: Type.Optional(RoleSchema), refreshTokenIn: RefreshTokenIn },
  { title: 'AccountRegistration', additionalProperties: false },
);
export const LoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 256 }), refreshTokenIn: RefreshTokenIn }, { title: 'SignIn', additionalProperties: false });
export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 256 }) }, { title: 'TokenRefresh', additionalProperties: false });
export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password, refreshTokenIn: RefreshTokenIn },
  { title: 'PasswordChange', additionalProperties: false },
);

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', errorMessage: 'must be a local time HH:MM, e.g. 22:00' });
export const QuietHours = Type.Object(
  { start: HourMinute, end: HourMinute, timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/London' }) },
  { title: 'QuietHours', additionalProperties: false, description: 'warnings wait until the end; critical alarms always go through' },
);

export const Preferences = Type.Object(
  { email: Type.Boolean(), push: Type.Boolean(), minSeverity: Severity, deviceOffline: Type.Boolean(), quietHours: Type.Optional(Type.Union([QuietHours, Type.Null()])) },
  { title: 'NotificationPreferences', additionalProperties: false },
);
export const PreferencesPatch = Type.Object(
  {
    email: Type.Optional(Type.Boolean()),
    push: Type.Optional(Type.Boolean()),
    minSeverity: Type.Optional(Severity),
    deviceOffline: Type.Optional(Type.Boolean()),
    quietHours: Type.Optional(Type.Union([QuietHours, Type.Null()])),
  },
  { title: 'NotificationPreferencesPatch', additionalProperties: false, minProperties: 1 },
);

export const UserView = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    phone: Nullable(Type.String()),
    notificationPreferences: Preferences,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'User' },
);
export type UserView = Static<typeof UserView>;

export const UserPatch = Type.Object(
  { name: Type.Optional(Name), email: Type.Optional(Email), phone: Type.Optional(Nullable(Phone)) },
  { title: 'UserPatch', additionalProperties: false, minProperties: 1 },
);

export const TokenResponse = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.Optional(
      Type.String({
        description: 'Single use: each refresh returns a new one. Reusing an old one signs out every session it started. Absent when it was set as a cookie.',
      }),
    ),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
    refreshExpiresIn: Type.Integer(),
    user: UserView,
  },
  { title: 'Tokens' },
);
