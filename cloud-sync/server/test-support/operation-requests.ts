/**
 * The API's operations as the OpenAPI document lists them, and one valid request for
 * each: what the answers test and the role × route matrix call, so a new route is
 * covered by both once its valid request is written here.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { linkToken } from './recording-channels.js';
import { signedWebhook } from './test-payment-provider.js';
import { PASSWORD, call, claimGateway, signUp, type Answer, type Claimed, type Harness, type SignedIn } from './harness.js';
import { SIGNATURE_PNG, deliveredOrder, newOrder, newTank, supplierProfile, tankBody, windowFrom } from './order-world.js';

export interface Operation {
  readonly operationId: string;
  readonly security: readonly Record<string, unknown>[];
  readonly 'x-roles'?: readonly string[];
  readonly parameters?: readonly { in?: string; name?: string }[];
  readonly requestBody?: unknown;
  readonly responses: Record<string, unknown>;
}

export interface Op {
  readonly method: string;
  readonly path: string;
  readonly operation: Operation;
}

export interface Request {
  readonly method: string;
  readonly url: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export const T = Date.UTC(2026, 0, 15, 12);
export const reading = (seq: number, sensorId: string, kind: string) => ({ record: 'reading', seq, sensorId, sensorKind: kind, at: T - seq * 60_000, value: 50, unit: '%', percent: 50, quality: 'ok', clockSynced: true });

export function operations(app: FastifyInstance): Op[] {
  const doc = JSON.parse(JSON.stringify(app.swagger())) as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));
}

/** What a test world holds: two customers and a supplier, a gateway with a level and a gas sensor, a rule, a notification. */
export interface World {
  readonly user: SignedIn;
  readonly other: SignedIn;
  readonly supplier: SignedIn;
  readonly gw: Claimed;
  readonly lpg: string;
  readonly gas: string;
  readonly ruleId: string;
  readonly notificationId: string;
  /** The supplier's profile, Alice's tank (preferring it) and her open order there. */
  readonly supplierId: string;
  readonly tankId: string;
  readonly orderId: string;
}

export async function makeWorld(h: Harness): Promise<World> {
  const user = await signUp(h.app);
  const other = await signUp(h.app);
  await h.clock.advance(60_000); // a fresh registration window, for the harness whose limit is two
  const supplier = await signUp(h.app, 'Gas Co', 'supplier');
  const gw = await claimGateway(h.app, user.token);
  await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: 0, lastSeq: 2, records: [reading(1, 'lpg', 'level'), { ...reading(2, 'kg', 'gas'), unit: '%LEL' }] } });
  const lpg = `${gw.gatewayId}:lpg`;
  const rule = await call<{ id: string }>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: lpg, type: 'low_level', params: { warningPercent: 20, criticalPercent: 5 } } });
  const note = await call<{ id: string }>(h.app, 'POST', `/api/alerts/${rule.body.id}/test`, { token: user.token });
  const supplierId = (await supplierProfile(h, supplier)).id;
  const order = await newOrder(h, user.token, supplierId);
  return { user, other, supplier, gw, lpg, gas: `${gw.gatewayId}:kg`, ruleId: rule.body.id, notificationId: note.body.id, supplierId, tankId: order.tankId, orderId: order.id };
}

/** The headers of the dashboard's page holding a fresh session cookie (modules/accounts/browser-session.ts). */
async function browserSession(h: Harness): Promise<Record<string, string>> {
  const user = await signUp(h.app);
  const login = await call(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD, refreshTokenIn: 'cookie' } });
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie, 'x-easygas-csrf': '1', 'sec-fetch-site': 'same-origin' };
}

const PUSH_SUBSCRIPTION = { endpoint: 'https://push.example.com/send/abc', keys: { p256dh: 'BPubKeyOfTheBrowser', auth: 'authSecret' } };

/** Adds an email address and returns the token of the link the outbox sent to it. */
async function verificationToken(h: Harness, token: string): Promise<string> {
  const email = `verify-${randomUUID()}@example.com`;
  await call(h.app, 'POST', '/api/channels/email', { token, body: { email } });
  await h.app.cloud.outbox.drain();
  const got = linkToken(h.sent, email);
  if (got === undefined) throw new Error(`no verification email was sent to ${email}`);
  return got;
}

/** One request per operation that succeeds; ones that spend something get their own thing to spend. */
export async function validRequest(h: Harness, w: World, operationId: string): Promise<Request> {
  const u = w.user.token;
  const g = w.gw.credential;
  const ownGateway = async () => (await claimGateway(h.app, u)).gatewayId;
  switch (operationId) {
    case 'registerAccount': return { method: 'POST', url: '/api/auth/register', body: { email: `new-${randomUUID()}@example.com`, password: PASSWORD, name: 'New' } };
    case 'signIn': return { method: 'POST', url: '/api/auth/login', body: { email: w.user.email, password: PASSWORD } };
    case 'refreshTokens': return { method: 'POST', url: '/api/auth/refresh-token', body: { refreshToken: (await signUp(h.app)).refreshToken } };
    case 'signOut': return { method: 'POST', url: '/api/auth/logout', body: { refreshToken: (await signUp(h.app)).refreshToken } };
    case 'refreshBrowserSession': return { method: 'POST', url: '/api/auth/session/refresh', headers: await browserSession(h) };
    case 'signOutBrowserSession': return { method: 'POST', url: '/api/auth/session/logout', headers: await browserSession(h) };
    case 'signOutEverywhere': return { method: 'POST', url: '/api/auth/logout-all', token: (await signUp(h.app)).token };
    case 'changePassword': return { method: 'POST', url: '/api/auth/change-password', token: (await signUp(h.app)).token, body: { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` } };
    case 'requestPasswordReset': return { method: 'POST', url: '/api/auth/password-reset', body: { email: w.other.email } };
    case 'confirmPasswordReset': {
      const someone = await signUp(h.app);
      await call(h.app, 'POST', '/api/auth/password-reset', { body: { email: someone.email } });
      await h.app.cloud.outbox.drain();
      return { method: 'POST', url: '/api/auth/password-reset/confirm', body: { token: linkToken(h.sent, someone.email), newPassword: `${PASSWORD} reset` } };
    }
    case 'getMe': return { method: 'GET', url: '/api/users/me', token: u };
    case 'updateMe': return { method: 'PATCH', url: '/api/users/me', token: u, body: { name: 'Renamed', phone: null } };
    case 'updateNotificationPreferences': return { method: 'PATCH', url: '/api/users/notification-preferences', token: u, body: { push: false } };
    case 'createClaimCode': return { method: 'POST', url: '/api/devices/claim-codes', token: u };
    case 'listDevices': return { method: 'GET', url: '/api/devices', token: u };
    case 'getDevice': return { method: 'GET', url: `/api/devices/${w.gw.gatewayId}`, token: u };
    case 'renameDevice': return { method: 'PUT', url: `/api/devices/${w.gw.gatewayId}`, token: u, body: { name: 'Loft Pi' } };
    case 'deleteDevice': return { method: 'DELETE', url: `/api/devices/${await ownGateway()}`, token: u };
    case 'getDeviceStatus': return { method: 'GET', url: `/api/devices/${w.gw.gatewayId}/status`, token: u };
    case 'listDeviceEvents': return { method: 'GET', url: `/api/devices/${w.gw.gatewayId}/events?limit=5`, token: u };
    case 'rotateDeviceCredential': return { method: 'POST', url: `/api/devices/${await ownGateway()}/credential/rotate`, token: u };
    case 'revokeDeviceCredential': return { method: 'POST', url: `/api/devices/${await ownGateway()}/credential/revoke`, token: u };
    case 'registerGateway': {
      const code = await call<{ code: string }>(h.app, 'POST', '/api/devices/claim-codes', { token: u });
      return { method: 'POST', url: '/api/devices/register', body: { code: code.body.code } };
    }
    case 'sendHeartbeat': return { method: 'POST', url: '/api/devices/heartbeat', token: g, body: { version: '1', uptimeSeconds: 5, clock: { synced: true }, backlog: { records: 0 }, sensors: [] } };
    case 'getGatewayConfig': return { method: 'GET', url: '/api/devices/config', token: g };
    case 'putCalibrations':
      return { method: 'PUT', url: '/api/devices/calibrations', token: g, body: { calibrations: { lpg: { calibration: { type: 'two_point', points: [{ raw: 0, value: 0 }, { raw: 5, value: 100 }] }, updatedAt: T } } } };
    case 'ingestBatch': return { method: 'POST', url: '/api/sensors/data', token: g, body: { afterSeq: 2, lastSeq: 2, records: [] } };
    case 'listSensors': return { method: 'GET', url: '/api/sensors', token: u };
    case 'getLatestReading': return { method: 'GET', url: `/api/sensors/${w.lpg}/latest`, token: u };
    case 'getSensorHistory': return { method: 'GET', url: `/api/sensors/${w.lpg}/history?bucket=1h`, token: u };
    case 'getConsumptionAnalytics': return { method: 'GET', url: `/api/sensors/analytics?sensorId=${w.lpg}&days=7`, token: u };
    case 'listAlertRules': return { method: 'GET', url: `/api/alerts?sensorId=${w.lpg}`, token: u };
    case 'createAlertRule': return { method: 'POST', url: '/api/alerts', token: u, body: { sensorId: w.lpg, type: 'sudden_drop', params: { dropPercent: 5, windowMinutes: 30 } } };
    case 'replaceAlertRule': return { method: 'PUT', url: `/api/alerts/${w.ruleId}`, token: u, body: { type: 'low_level', params: { warningPercent: 30, criticalPercent: 10 } } };
    case 'deleteAlertRule': {
      const rule = await call<{ id: string }>(h.app, 'POST', '/api/alerts', { token: u, body: { sensorId: w.lpg, type: 'device_offline', params: {} } });
      return { method: 'DELETE', url: `/api/alerts/${rule.body.id}`, token: u };
    }
    case 'testAlertRule': return { method: 'POST', url: `/api/alerts/${w.ruleId}/test`, token: u };
    case 'listNotifications': return { method: 'GET', url: '/api/notifications?limit=10', token: u };
    case 'markAllNotificationsRead': return { method: 'POST', url: '/api/notifications/read-all', token: u };
    case 'markNotificationRead': return { method: 'POST', url: `/api/notifications/${w.notificationId}/read`, token: u };
    case 'listTanks': return { method: 'GET', url: '/api/tanks', token: u };
    case 'createTank': return { method: 'POST', url: '/api/tanks', token: u, body: tankBody(w.supplierId) };
    case 'getTank': return { method: 'GET', url: `/api/tanks/${w.tankId}`, token: u };
    case 'getTankAnalytics': return { method: 'GET', url: `/api/tanks/${w.tankId}/analytics`, token: u };
    case 'updateTank': return { method: 'PATCH', url: `/api/tanks/${w.tankId}`, token: u, body: { accessNotes: 'gate on the left' } };
    case 'deleteTank': return { method: 'DELETE', url: `/api/tanks/${await newTank(h, u, null)}`, token: u };
    case 'listTankLevels': return { method: 'GET', url: `/api/tanks/${w.tankId}/levels`, token: u };
    case 'getCurrentTankLevel': return { method: 'GET', url: `/api/tanks/${w.tankId}/levels/current`, token: u };
    case 'addManualTankLevel': return { method: 'POST', url: `/api/tanks/${w.tankId}/levels`, token: u, body: { percent: 40 } };
    case 'receivePaymentWebhook': {
      const number = (await call<{ number: string }>(h.app, 'GET', `/api/orders/${w.orderId}`, { token: u })).body.number;
      const signed = signedWebhook({ type: 'payment.succeeded', orderNumber: number }, h.clock.now());
      return { method: 'POST', url: '/api/payments/webhook/testpay', headers: signed.headers, body: JSON.parse(signed.payload) };
    }
    case 'getOrderProof': {
      const id = await deliveredOrder(h, u, w.supplier.token, w.supplierId, { signature: { contentType: 'image/png', data: SIGNATURE_PNG } });
      return { method: 'GET', url: `/api/orders/${id}/proof`, token: u };
    }
    case 'issueTankDeviceCredential': return { method: 'POST', url: `/api/tanks/${w.tankId}/device-credential`, token: u, body: {} };
    case 'reportWaterLevel': {
      // The device's own token, in a header the matrix leaves alone (the route is public to user and gateway schemes).
      const issued = await call<{ token: string }>(h.app, 'POST', `/api/tanks/${await newTank(h, u, null)}/device-credential`, { token: u, body: {} });
      return { method: 'POST', url: '/api/iot/water-level', headers: { authorization: `Bearer ${issued.body.token}` }, body: { readingId: 'matrix-1', at: h.clock.now(), percent: 55 } };
    }
    case 'searchSuppliers': return { method: 'GET', url: '/api/suppliers?postalCode=BA11AA&product=lpg&litres=500', token: u };
    case 'getSupplier': return { method: 'GET', url: `/api/suppliers/${w.supplierId}?product=lpg&litres=500`, token: u };
    case 'placeOrder': return { method: 'POST', url: '/api/orders', token: u, body: { tankId: await newTank(h, u, w.supplierId), litres: 500, window: windowFrom(h) } };
    case 'listOrders': return { method: 'GET', url: '/api/orders', token: u };
    case 'getOrderStatistics': return { method: 'GET', url: '/api/orders/statistics', token: u };
    case 'getOrder': return { method: 'GET', url: `/api/orders/${w.orderId}`, token: u };
    case 'cancelOrder': return { method: 'PATCH', url: `/api/orders/${(await newOrder(h, u, w.supplierId)).id}/cancel`, token: u, body: { reason: 'not needed' } };
    case 'rescheduleOrder': return { method: 'PATCH', url: `/api/orders/${w.orderId}/reschedule`, token: u, body: { window: windowFrom(h, 48) } };
    case 'reviewOrder': return { method: 'POST', url: `/api/orders/${await deliveredOrder(h, u, w.supplier.token, w.supplierId)}/review`, token: u, body: { stars: 5 } };
    case 'listSupplierOrders': return { method: 'GET', url: '/api/supplier/orders', token: w.supplier.token };
    case 'listSupplierCustomers': return { method: 'GET', url: '/api/supplier/customers?limit=10', token: w.supplier.token };
    case 'getSupplierOrder': return { method: 'GET', url: `/api/supplier/orders/${w.orderId}`, token: w.supplier.token };
    case 'setSupplierOrderStatus': return { method: 'PATCH', url: `/api/supplier/orders/${(await newOrder(h, u, w.supplierId)).id}/status`, token: w.supplier.token, body: { status: 'acknowledged' } };
    case 'patchAllNotificationsRead': return { method: 'PATCH', url: '/api/notifications/read-all', token: u };
    case 'patchNotificationRead': return { method: 'PATCH', url: `/api/notifications/${w.notificationId}/read`, token: u };
    case 'listNotificationDeliveries': return { method: 'GET', url: `/api/notifications/${w.notificationId}/deliveries`, token: u };
    case 'acknowledgeNotification': return { method: 'POST', url: `/api/notifications/${w.notificationId}/acknowledge`, token: u };
    case 'listChannels': return { method: 'GET', url: '/api/channels', token: u };
    case 'addEmailChannel': return { method: 'POST', url: '/api/channels/email', token: u, body: { email: `alarms-${randomUUID()}@example.com` } };
    case 'addSmsChannel': return { method: 'POST', url: '/api/channels/sms', token: u, body: { phone: '+44 7911 123456' } };
    case 'addWebhookChannel': return { method: 'POST', url: '/api/channels/webhook', token: u, body: { url: 'https://hooks.example.com/easygas' } };
    case 'deleteChannel': {
      const added = await call<{ id: string }>(h.app, 'POST', '/api/channels/sms', { token: u, body: { phone: '+44 7911 123457' } });
      return { method: 'DELETE', url: `/api/channels/${added.body.id}`, token: u };
    }
    case 'testChannel': {
      // A fresh owner and a fresh verified address: a test is limited per address, and the 429 probe outlives an access token.
      const owner = (await signUp(h.app)).token;
      const verified = await call<{ id: string }>(h.app, 'GET', `/api/channels/email/verify?token=${await verificationToken(h, owner)}`);
      return { method: 'POST', url: `/api/channels/${verified.body.id}/test`, token: owner };
    }
    case 'getPushPublicKey': return { method: 'GET', url: '/api/push-subscriptions/key', token: u };
    case 'verifyEmailLink': return { method: 'GET', url: `/api/channels/email/verify?token=${await verificationToken(h, u)}` };
    case 'verifyEmail': return { method: 'POST', url: '/api/channels/email/verify', body: { token: await verificationToken(h, u) } };
    case 'addPushSubscription': return { method: 'POST', url: '/api/push-subscriptions', token: u, body: PUSH_SUBSCRIPTION };
    case 'deletePushSubscription': {
      const endpoint = `https://push.example.com/send/${randomUUID()}`;
      await call(h.app, 'POST', '/api/push-subscriptions', { token: u, body: { ...PUSH_SUBSCRIPTION, endpoint } });
      return { method: 'DELETE', url: '/api/push-subscriptions', token: u, body: { endpoint } };
    }
    case 'getHealth': return { method: 'GET', url: '/healthz' };
    case 'getMetrics': return { method: 'GET', url: '/metrics' };
    case 'describeLiveSocket': return { method: 'GET', url: '/api/ws' };
    default: throw new Error(`no valid request written for ${operationId}: add one here`);
  }
}

export async function send(h: Harness, request: Request): Promise<Answer<{ code?: string }>> {
  return call<{ code?: string }>(h.app, request.method as 'GET', request.url, {
    ...(request.token === undefined ? {} : { token: request.token }),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.headers === undefined ? {} : { headers: request.headers }),
  });
}

