/**
 * For `npm start` (issue 5, item 8): give the simulated gateway an account and a
 * credential on a local cloud without anyone typing a claim code. It goes through
 * the public routes (app.inject), exactly as the app and the gateway would.
 * The caller keeps the credential (the gateway's data directory) and calls this
 * again only when it has none, or each start makes another gateway.
 */
import type { FastifyInstance } from 'fastify';

export interface DemoAccount {
  readonly email: string;
  readonly password: string;
  readonly name?: string;
}

export interface DemoGateway {
  readonly userId: string;
  readonly accessToken: string;
  readonly gatewayId: string;
  readonly credential: string;
}

async function post<T>(app: FastifyInstance, url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: JSON.parse(response.body) as T };
}

/** Signs in (registering the account the first time), claims a new gateway and returns its credential. */
export async function provisionDemoGateway(app: FastifyInstance, account: DemoAccount, gateway: { name: string; version?: string; gatewayId?: string }): Promise<DemoGateway> {
  type Tokens = { accessToken: string; user: { id: string }; message?: string };
  let session = await post<Tokens>(app, '/api/auth/login', { email: account.email, password: account.password });
  if (session.status === 401) {
    session = await post<Tokens>(app, '/api/auth/register', { email: account.email, password: account.password, name: account.name ?? 'Demo household' });
  }
  if (session.status >= 300) throw new Error(`demo account ${account.email}: ${session.status} ${session.body.message ?? ''}`);
  const token = session.body.accessToken;
  const code = await post<{ code: string; message?: string }>(app, '/api/devices/claim-codes', {}, token);
  if (code.status !== 201) throw new Error(`claim code: ${code.status} ${code.body.message ?? ''}`);
  const registered = await post<{ gatewayId: string; credential: string; message?: string }>(app, '/api/devices/register', {
    code: code.body.code,
    name: gateway.name,
    ...(gateway.version === undefined ? {} : { version: gateway.version }),
    ...(gateway.gatewayId === undefined ? {} : { gatewayId: gateway.gatewayId }),
  });
  if (registered.status !== 201) throw new Error(`register gateway: ${registered.status} ${registered.body.message ?? ''}`);
  return { userId: session.body.user.id, accessToken: token, gatewayId: registered.body.gatewayId, credential: registered.body.credential };
}

/**
 * Gives the demo account a verified email address (its own login address), so an
 * alarm shows as an email in the demo's output. The demo has no mailbox to open a
 * verification link from: the address is stored as verified directly. Idempotent.
 */
export async function ensureDemoEmailAddress(app: FastifyInstance, email: string): Promise<void> {
  const { repo, clock } = app.cloud;
  const user = await repo.users.byEmail(email);
  if (user === undefined) throw new Error(`demo account ${email}: not registered`);
  const now = clock.now();
  await repo.addresses.add(user.id, { kind: 'email', target: email.toLowerCase(), secret: null, verifiedAt: now, verifyTokenHash: null, verifyExpiresAt: null }, now);
}
