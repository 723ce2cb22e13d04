/** One method per API route the dashboard uses; paths as in cloud-sync/server/README.md. */
import { SESSION_COOKIE_HEADERS, type Http } from './http.js';
import type {
  AlertChange,
  AlertDraft,
  AlertRule,
  Analytics,
  ClaimCode,
  Credential,
  Device,
  DeviceEvent,
  DeviceStatusView,
  History,
  Latest,
  Notification,
  NotificationPreferences,
  Order,
  OrderDraft,
  DeliveryWindow,
  Product,
  Supplier,
  Tank,
  TankAnalytics,
  TankChange,
  TankDraft,
  TankLevel,
  CurrentTankLevel,
  ChannelAddress,
  ChannelTest,
  Delivery,
  PushSubscriptionJson,
  WebhookAdded,
  PreferencesChange,
  ProfileChange,
  Sensor,
  Tokens,
  User,
} from './types.js';

const enc = encodeURIComponent;

export class ApiClient {
  constructor(readonly http: Http) {}

  // Accounts: the refresh token goes into the HttpOnly session cookie, never to the page.
  register(body: { email: string; password: string; name: string }): Promise<Tokens> {
    return this.http.request('POST', '/api/auth/register', { body: { ...body, refreshTokenIn: 'cookie' }, auth: false });
  }
  login(body: { email: string; password: string }): Promise<Tokens> {
    return this.http.request('POST', '/api/auth/login', { body: { ...body, refreshTokenIn: 'cookie' }, auth: false });
  }
  logout(): Promise<void> {
    return this.http.request('POST', '/api/auth/session/logout', { headers: SESSION_COOKIE_HEADERS, auth: false });
  }
  /** Always 202: the answer never says whether the address has an account. */
  requestPasswordReset(email: string): Promise<void> {
    return this.http.request('POST', '/api/auth/password-reset', { body: { email }, auth: false });
  }
  confirmPasswordReset(token: string, newPassword: string): Promise<void> {
    return this.http.request('POST', '/api/auth/password-reset/confirm', { body: { token, newPassword }, auth: false });
  }
  logoutEverywhere(): Promise<void> {
    return this.http.request('POST', '/api/auth/logout-all');
  }
  changePassword(body: { currentPassword: string; newPassword: string }): Promise<Tokens> {
    return this.http.request('POST', '/api/auth/change-password', { body: { ...body, refreshTokenIn: 'cookie' } });
  }
  me(): Promise<User> {
    return this.http.request('GET', '/api/users/me');
  }
  updateProfile(body: ProfileChange): Promise<User> {
    return this.http.request('PATCH', '/api/users/me', { body });
  }
  updatePreferences(body: PreferencesChange): Promise<NotificationPreferences> {
    return this.http.request('PATCH', '/api/users/notification-preferences', { body });
  }

  // Gateways
  devices(): Promise<Device[]> {
    return this.http.request('GET', '/api/devices');
  }
  deviceStatus(id: string): Promise<DeviceStatusView> {
    return this.http.request('GET', `/api/devices/${enc(id)}/status`);
  }
  deviceEvents(id: string, query: { limit?: number; before?: number } = {}): Promise<DeviceEvent[]> {
    return this.http.request('GET', `/api/devices/${enc(id)}/events`, { query });
  }
  claimCode(): Promise<ClaimCode> {
    return this.http.request('POST', '/api/devices/claim-codes');
  }
  renameDevice(id: string, name: string): Promise<Device> {
    return this.http.request('PUT', `/api/devices/${enc(id)}`, { body: { name } });
  }
  deleteDevice(id: string): Promise<void> {
    return this.http.request('DELETE', `/api/devices/${enc(id)}`);
  }
  rotateCredential(id: string): Promise<Credential> {
    return this.http.request('POST', `/api/devices/${enc(id)}/credential/rotate`);
  }
  revokeCredential(id: string): Promise<void> {
    return this.http.request('POST', `/api/devices/${enc(id)}/credential/revoke`);
  }

  // Sensors
  sensors(): Promise<Sensor[]> {
    return this.http.request('GET', '/api/sensors');
  }
  latest(sensorId: string): Promise<Latest> {
    return this.http.request('GET', `/api/sensors/${enc(sensorId)}/latest`);
  }
  history(sensorId: string, query: { from: number; to: number; bucket?: string }): Promise<History> {
    return this.http.request('GET', `/api/sensors/${enc(sensorId)}/history`, { query });
  }
  analytics(sensorId: string, days: number, tz: string): Promise<Analytics> {
    return this.http.request('GET', '/api/sensors/analytics', { query: { sensorId, days, tz } });
  }

  // Alert rules
  alerts(): Promise<AlertRule[]> {
    return this.http.request('GET', '/api/alerts');
  }
  createAlert(body: AlertDraft): Promise<AlertRule> {
    return this.http.request('POST', '/api/alerts', { body });
  }
  updateAlert(id: string, body: AlertChange): Promise<AlertRule> {
    return this.http.request('PUT', `/api/alerts/${enc(id)}`, { body });
  }
  deleteAlert(id: string): Promise<void> {
    return this.http.request('DELETE', `/api/alerts/${enc(id)}`);
  }
  testAlert(id: string): Promise<Notification> {
    return this.http.request('POST', `/api/alerts/${enc(id)}/test`);
  }

  // Notifications
  notifications(query: { limit?: number; before?: number; unreadOnly?: boolean } = {}): Promise<Notification[]> {
    return this.http.request('GET', '/api/notifications', { query });
  }
  markRead(id: string): Promise<Notification> {
    return this.http.request('POST', `/api/notifications/${enc(id)}/read`);
  }
  markAllRead(): Promise<{ updated: number }> {
    return this.http.request('POST', '/api/notifications/read-all');
  }
  deliveries(notificationId: string): Promise<Delivery[]> {
    return this.http.request('GET', `/api/notifications/${enc(notificationId)}/deliveries`);
  }
  acknowledge(notificationId: string): Promise<{ active: boolean }> {
    return this.http.request('POST', `/api/notifications/${enc(notificationId)}/acknowledge`);
  }

  // Channels: where notifications go
  channels(): Promise<ChannelAddress[]> {
    return this.http.request('GET', '/api/channels');
  }
  /** Adds the address, or sends its verification link again. */
  /** With `contactName`: an emergency contact's address, told only of an alarm left unacknowledged. */
  addEmailChannel(email: string, contactName?: string): Promise<ChannelAddress> {
    return this.http.request('POST', '/api/channels/email', { body: { email, ...(contactName === undefined ? {} : { contactName }) } });
  }
  /** The verification email's token: no sign-in needed. */
  verifyEmailChannel(token: string): Promise<ChannelAddress> {
    return this.http.request('POST', '/api/channels/email/verify', { body: { token }, auth: false });
  }
  addSmsChannel(phone: string, contactName?: string): Promise<ChannelAddress> {
    return this.http.request('POST', '/api/channels/sms', { body: { phone, ...(contactName === undefined ? {} : { contactName }) } });
  }
  addWebhookChannel(url: string): Promise<WebhookAdded> {
    return this.http.request('POST', '/api/channels/webhook', { body: { url } });
  }
  deleteChannel(id: string): Promise<void> {
    return this.http.request('DELETE', `/api/channels/${enc(id)}`);
  }
  testChannel(id: string): Promise<ChannelTest> {
    return this.http.request('POST', `/api/channels/${enc(id)}/test`);
  }
  pushPublicKey(): Promise<{ publicKey: string }> {
    return this.http.request('GET', '/api/push-subscriptions/key');
  }
  addPushSubscription(subscription: PushSubscriptionJson): Promise<ChannelAddress> {
    return this.http.request('POST', '/api/push-subscriptions', { body: subscription });
  }
  deletePushSubscription(endpoint: string): Promise<void> {
    return this.http.request('DELETE', '/api/push-subscriptions', { body: { endpoint } });
  }

  // Tanks
  tanks(): Promise<Tank[]> {
    return this.http.request('GET', '/api/tanks');
  }
  tank(id: string): Promise<Tank> {
    return this.http.request('GET', `/api/tanks/${enc(id)}`);
  }
  createTank(body: TankDraft): Promise<Tank> {
    return this.http.request('POST', '/api/tanks', { body });
  }
  updateTank(id: string, body: TankChange): Promise<Tank> {
    return this.http.request('PATCH', `/api/tanks/${enc(id)}`, { body });
  }
  deleteTank(id: string): Promise<void> {
    return this.http.request('DELETE', `/api/tanks/${enc(id)}`);
  }
  currentLevel(id: string): Promise<CurrentTankLevel> {
    return this.http.request('GET', `/api/tanks/${enc(id)}/levels/current`);
  }
  addLevel(id: string, percent: number): Promise<TankLevel> {
    return this.http.request('POST', `/api/tanks/${enc(id)}/levels`, { body: { percent } });
  }
  tankAnalytics(id: string, days: number, tz: string): Promise<TankAnalytics> {
    return this.http.request('GET', `/api/tanks/${enc(id)}/analytics`, { query: { days, tz } });
  }

  // Suppliers and orders
  suppliers(query: { postalCode: string; product: Product; litres?: number }): Promise<Supplier[]> {
    return this.http.request('GET', '/api/suppliers', { query });
  }
  orders(query: { tankId?: string; limit?: number } = {}): Promise<Order[]> {
    return this.http.request('GET', '/api/orders', { query });
  }
  order(id: string): Promise<Order> {
    return this.http.request('GET', `/api/orders/${enc(id)}`);
  }
  placeOrder(body: OrderDraft): Promise<Order> {
    return this.http.request('POST', '/api/orders', { body });
  }
  cancelOrder(id: string, reason?: string): Promise<Order> {
    return this.http.request('PATCH', `/api/orders/${enc(id)}/cancel`, { body: reason === undefined ? {} : { reason } });
  }
  rescheduleOrder(id: string, window: DeliveryWindow, notes?: string): Promise<Order> {
    return this.http.request('PATCH', `/api/orders/${enc(id)}/reschedule`, { body: notes === undefined ? { window } : { window, notes } });
  }
  reviewOrder(id: string, stars: number, comment?: string): Promise<Order> {
    return this.http.request('POST', `/api/orders/${enc(id)}/review`, { body: comment === undefined ? { stars } : { stars, comment } });
  }
}
