/**
 * The API's shapes, taken as types from the server's schemas (`import type` only: no
 * server code reaches the bundle). A schema change that breaks the dashboard breaks
 * `npm run check`.
 */
import type { Static } from 'typebox';
import type { Preferences, PreferencesPatch, TokenResponse, UserPatch, UserView } from '../../../server/modules/accounts/schemas.js';
import type { AlertCreateBody, AlertUpdateBody, AlertView } from '../../../server/modules/alerts/schemas.js';
import type { ClaimCodeResponse, CredentialResponse, DeviceStatus, DeviceView, EventView, SensorView } from '../../../server/modules/devices/schemas.js';
import type { DeliveryView, NotificationView } from '../../../server/modules/notifications/schemas.js';
import type { ChannelAddressView, ChannelTestQueued, PushSubscriptionBody, WebhookCreated } from '../../../server/modules/channels/schemas.js';
import type { AnalyticsResponse, HistoryResponse, LatestResponse, ReadingView } from '../../../server/modules/sensors/schemas.js';
import type { ApiErrorCode } from '../../../server/errors.js';
import type { Health, Quality, SensorKind, Severity } from '../../../protocol/primitives.js';
import type { AlertRuleType, NotifyChannel } from '../../../protocol/alert-rules.js';

export type { AlertRuleType, ApiErrorCode, Health, NotifyChannel, Quality, SensorKind, Severity };
export type User = Static<typeof UserView>;
export type NotificationPreferences = Static<typeof Preferences>;
export type PreferencesChange = Static<typeof PreferencesPatch>;
export type ProfileChange = Static<typeof UserPatch>;
export type Tokens = Static<typeof TokenResponse>;
export type Device = Static<typeof DeviceView>;
export type DeviceStatusView = Static<typeof DeviceStatus>;
export type Sensor = Static<typeof SensorView>;
export type DeviceEvent = Static<typeof EventView>;
export type ClaimCode = Static<typeof ClaimCodeResponse>;
export type Credential = Static<typeof CredentialResponse>;
export type Reading = Static<typeof ReadingView>;
export type Latest = Static<typeof LatestResponse>;
export type History = Static<typeof HistoryResponse>;
export type HistoryPoint = History['points'][number];
export type Analytics = Static<typeof AnalyticsResponse>;
export type AnalyticsDay = Analytics['days'][number];
export type Notification = Static<typeof NotificationView>;
export type Delivery = Static<typeof DeliveryView>;
export type ChannelAddress = Static<typeof ChannelAddressView>;
export type ChannelKind = ChannelAddress['kind'];
export type WebhookAdded = Static<typeof WebhookCreated>;
export type ChannelTest = Static<typeof ChannelTestQueued>;
export type PushSubscriptionJson = Static<typeof PushSubscriptionBody>;
export type AlertRule = Static<typeof AlertView>;
export type AlertDraft = Static<typeof AlertCreateBody>;
export type AlertChange = Static<typeof AlertUpdateBody>;
export type { Tank, TankDraft, TankChange, TankLevel, CurrentTankLevel, Product, Address, TankAnalytics, Forecast, ForecastOutcome, Supplier, Order, OrderDraft, OrderStatus, OrderAction, DeliveryWindow } from './order-types.js';
