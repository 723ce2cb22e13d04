/**
 * Who may call what, checked on every route the OpenAPI document lists: each is
 * called as anonymous, as another customer, as a supplier and as an admin, with a
 * request that is valid for the owner (Alice). Each answer is the one the route
 * declares: 401 without a credential (and a user token is no gateway credential),
 * 403 for a role outside the operation's x-roles, 404 for Alice's ids to anyone
 * allowed to call (never 403, which would confirm they exist), and success where
 * nothing of Alice's is named. Then nothing of Alice's was changed or listed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FAST_SCRYPT, PASSWORD, call, signUp, startHarness, type Harness, type SignedIn } from '../test-support/harness.js';
import { makeWorld, operations, send, validRequest, type Op, type World } from '../test-support/operation-requests.js';
import { createAdmin } from '../modules/accounts/service.js';

type Caller = 'anonymous' | 'customer' | 'supplier' | 'admin';
const CALLERS: readonly Caller[] = ['anonymous', 'customer', 'supplier', 'admin'];

interface Expected {
  readonly status: number | 'success';
  readonly code?: string;
}

/** Ids in a shared catalogue, not anyone's own: every customer may read a supplier. */
const SHARED_IDS = new Set(['getSupplier']);

/** The route names one of the owner's things: an {id} in the path, or a sensorId or tankId in the query or body. */
function namesOwnersThing(op: Op, request: { url: string; body?: unknown }): boolean {
  if (SHARED_IDS.has(op.operation.operationId)) return false;
  const body = JSON.stringify(request.body ?? {});
  return op.path.includes('{id}') || request.url.includes('sensorId=') || body.includes('"sensorId"') || body.includes('"tankId"');
}

function expected(op: Op, caller: Caller, namesThing: boolean): Expected {
  const scheme = Object.keys(op.operation.security[0] ?? {})[0];
  if (scheme === undefined) return { status: 'success' };
  if (scheme === 'gateway') return caller === 'anonymous' ? { status: 401, code: 'EASYGAS_GATEWAY_AUTH_REQUIRED' } : { status: 401, code: 'EASYGAS_GATEWAY_CREDENTIAL_INVALID' };
  if (caller === 'anonymous') return { status: 401, code: 'EASYGAS_AUTH_REQUIRED' };
  if (op.operation['x-roles']?.includes(caller) !== true) return { status: 403, code: 'EASYGAS_FORBIDDEN' };
  return namesThing ? { status: 404, code: 'EASYGAS_NOT_FOUND' } : { status: 'success' };
}

async function signUpAdmin(h: Harness): Promise<SignedIn> {
  const email = `admin-${randomUUID()}@example.com`;
  const admin = await createAdmin(h.repo, h.clock, FAST_SCRYPT, { email, password: PASSWORD, name: 'Operator' });
  const login = await call<{ accessToken: string; refreshToken: string }>(h.app, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  return { token: login.body.accessToken, refreshToken: login.body.refreshToken, userId: admin.id, email };
}

/** A fresh caller per request, so a route that ends its caller's sessions spends nobody else's. */
async function tokenOf(h: Harness, caller: Caller): Promise<string | undefined> {
  if (caller === 'anonymous') return undefined;
  if (caller === 'admin') return (await signUpAdmin(h)).token;
  return (await signUp(h.app, `A ${caller}`, caller)).token;
}

describe('the role × route matrix, generated from the OpenAPI document', () => {
  let h: Harness;
  let alice: World;
  before(async () => {
    h = await startHarness({ authRateLimit: { max: 100_000, windowMs: 60_000 }, ingestRateLimit: { max: 100_000, windowMs: 60_000 } });
    alice = await makeWorld(h);
  });
  after(() => h.close());

  it('declares who may call each user route (x-roles) and a permission on no other', () => {
    for (const op of operations(h.app)) {
      const scheme = Object.keys(op.operation.security[0] ?? {})[0];
      assert.equal(op.operation['x-roles'] !== undefined, scheme === 'user', `${op.method} ${op.path}`);
    }
  });

  it('answers every route, as every caller, with the answer it declares', async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const op of operations(h.app)) {
      for (const caller of CALLERS) {
        const valid = await validRequest(h, alice, op.operation.operationId);
        const token = await tokenOf(h, caller);
        const request = valid.token === undefined ? valid : { ...valid, token };
        const want = expected(op, caller, namesOwnersThing(op, valid));
        const answer = await send(h, request);
        cells++;
        const fits = want.status === 'success' ? answer.status < 300 : answer.status === want.status && answer.body.code === want.code;
        if (!fits) wrong.push(`${op.method} ${op.path} as ${caller}: ${answer.status} ${answer.body.code ?? ''}, declared ${want.status} ${want.code ?? ''}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(cells >= 4 * 36, `${cells} cells`);
  });

  it('left every one of Alice’s things as it was', async () => {
    const token = alice.user.token;
    const device = await call<{ name: string; credentialActive: boolean }>(h.app, 'GET', `/api/devices/${alice.gw.gatewayId}`, { token });
    assert.deepEqual([device.status, device.body.name, device.body.credentialActive], [200, 'Kitchen Pi', true]);
    const ingest = await call(h.app, 'POST', '/api/sensors/data', { token: alice.gw.credential, body: { afterSeq: 2, lastSeq: 2, records: [] } });
    assert.equal(ingest.status, 200, 'her credential still works');
    const rules = await call<{ id: string; params: Record<string, number> }[]>(h.app, 'GET', `/api/alerts?sensorId=${alice.lpg}`, { token });
    assert.deepEqual(rules.body.filter((r) => r.id === alice.ruleId).map((r) => r.params.warningPercent), [20], 'her rule kept its params');
    const notes = await call<{ id: string; readAt: number | null }[]>(h.app, 'GET', '/api/notifications', { token });
    assert.equal(notes.body.find((n) => n.id === alice.notificationId)?.readAt, null, 'not marked read by anyone else');
  });

  it('shows none of Alice’s things in anyone else’s lists', async () => {
    const aliceIds = [alice.gw.gatewayId, alice.lpg, alice.ruleId, alice.notificationId, alice.tankId, alice.orderId];
    for (const caller of ['customer', 'supplier', 'admin'] as const) {
      const token = await tokenOf(h, caller);
      for (const url of ['/api/devices', '/api/sensors', '/api/alerts', '/api/notifications', '/api/tanks', '/api/orders', '/api/supplier/orders']) {
        const list = await call(h.app, 'GET', url, { ...(token === undefined ? {} : { token }) });
        assert.ok(list.status === 200 || list.status === 403, `${url} as ${caller}: ${list.status}`);
        for (const id of aliceIds) assert.ok(!list.text.includes(id), `${url} as ${caller} leaks ${id}`);
      }
    }
  });
});
