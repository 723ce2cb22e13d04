import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Authenticator, type MqttUserConfig } from './broker-auth.js';
import { hashPassword } from './password-hash.js';

const FAST = { ln: 10, r: 8, p: 1 };
const pw = (s: string): Buffer => Buffer.from(s);

describe('Authenticator', () => {
  let users: MqttUserConfig[];
  before(async () => {
    users = [
      { username: 'homeassistant', passwordHash: await hashPassword('ha-pw', FAST) },
      { username: 'garage-node', passwordHash: await hashPassword('node-pw', FAST), nodes: ['garage'] },
    ];
  });

  it('lets users in with their password, as who they are', async () => {
    const auth = new Authenticator({ users, allowAnonymous: false });
    assert.deepEqual(await auth.authenticate('homeassistant', pw('ha-pw')), { ok: true, principal: { kind: 'user', username: 'homeassistant', nodes: [] } });
    assert.deepEqual(await auth.authenticate('garage-node', pw('node-pw')), { ok: true, principal: { kind: 'user', username: 'garage-node', nodes: ['garage'] } });
  });

  it('refuses a wrong password and an unknown user alike (code 4), and anonymous unless allowed (code 5)', async () => {
    const auth = new Authenticator({ users, allowAnonymous: false });
    const wrong = await auth.authenticate('homeassistant', pw('nope'));
    const unknown = await auth.authenticate('mallory', pw('nope'));
    assert.deepEqual([wrong.ok, !wrong.ok && wrong.returnCode], [false, 4]);
    assert.deepEqual([unknown.ok, !unknown.ok && unknown.returnCode], [false, 4]);
    const anonymous = await auth.authenticate(undefined, undefined);
    assert.deepEqual([anonymous.ok, !anonymous.ok && anonymous.returnCode], [false, 5]);
    const open = new Authenticator({ users, allowAnonymous: true });
    assert.deepEqual(await open.authenticate(undefined, undefined), { ok: true, principal: { kind: 'anonymous' } });
    const wrongButOpen = await open.authenticate('homeassistant', pw('nope'));
    assert.equal(wrongButOpen.ok, false, 'a wrong password is never downgraded to anonymous');
  });

  it('takes as long for an unknown user as for a wrong password (no probing of names by timing)', async () => {
    const auth = new Authenticator({ users, allowAnonymous: false });
    const time = async (user: string): Promise<number> => {
      const t0 = performance.now();
      await auth.authenticate(user, pw('x'));
      return performance.now() - t0;
    };
    await time('homeassistant'); // warm up
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, medians: other tests share the CPU.
    for (let i = 0; i < 9; i++) {
      known.push(await time('homeassistant'));
      unknown.push(await time('mallory'));
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [k, u] = [median(known), median(unknown)];
    assert.ok(u > k * 0.4 && u < k * 2.5, `unknown ${u.toFixed(1)} ms vs known ${k.toFixed(1)} ms`);
  });

  it('runs at most maxConcurrent checks at once and turns a flood away rather than queue it all', async () => {
    const auth = new Authenticator({ users, allowAnonymous: false, maxConcurrent: 1, maxWaiting: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => auth.authenticate('homeassistant', pw(`guess-${i}`))));
    const codes = results.map((r) => (r.ok ? 0 : r.returnCode));
    assert.deepEqual(codes.filter((c) => c === 4).length, 3, '1 running + 2 waiting were checked');
    assert.deepEqual(codes.filter((c) => c === 3).length, 3, 'the rest were told the server is busy');
  });

  it('lets a whole fleet sharing one user back in at once: one check answers every identical login', async () => {
    const auth = new Authenticator({ users, allowAnonymous: false, maxConcurrent: 1, maxWaiting: 2 });
    const right = await Promise.all(Array.from({ length: 50 }, () => auth.authenticate('homeassistant', pw('ha-pw'))));
    assert.equal(right.filter((r) => r.ok).length, 50);
    const wrong = await Promise.all(Array.from({ length: 10 }, () => auth.authenticate('homeassistant', pw('nope'))));
    assert.deepEqual(wrong.map((r) => (r.ok ? 0 : r.returnCode)), Array.from({ length: 10 }, () => 4));
  });
});
