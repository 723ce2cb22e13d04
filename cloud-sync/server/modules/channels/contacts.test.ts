/**
 * Emergency contacts through the channels API, on SQLite and PostgreSQL: a
 * contactName (trimmed, 1–60 characters) makes an email or a mobile number a
 * contact, shown with its name; a bad name or a sixth contact is a 400 naming
 * body.contactName and stores nothing; the contact's verification email says who
 * added them and why.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { STORAGE_KINDS, call, signUp, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { storageSuite } from '../../test-support/storage-suite.js';

interface AddressJson {
  id: string;
  kind: string;
  target: string;
  verified: boolean;
  contactName: string | null;
}

interface Failure {
  code: string;
  issues?: { path: string; message: string }[];
}

for (const storage of STORAGE_KINDS) contacts(storage);

function contacts(storage: StorageKind): void {
  describe(`emergency contacts on ${storage}`, () => {
    let ann: SignedIn;
    const { h, test } = storageSuite(storage, {}, async (harness) => {
      ann = await signUp(harness.app, 'Ann');
    });
    const add = (kind: 'email' | 'sms', body: Record<string, unknown>) => call<AddressJson & Failure>(h().app, 'POST', `/api/channels/${kind}`, { token: ann.token, body });
    const list = async () => (await call<AddressJson[]>(h().app, 'GET', '/api/channels', { token: ann.token })).body;
    const refusedOn = (answer: { status: number; body: Failure }, path: string) => {
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.code, 'EASYGAS_VALIDATION');
      assert.deepEqual(answer.body.issues?.map((i) => i.path), [path]);
    };

    test('a contactName makes an address a contact, trimmed; without one it is your own (contactName null)', async () => {
      const own = await add('email', { email: 'ann@home.example' });
      assert.deepEqual([own.status, own.body.contactName], [201, null]);
      const bob = await add('sms', { phone: '+44 7911 123456', contactName: '  Bob next door  ' });
      assert.deepEqual([bob.status, bob.body.target, bob.body.contactName, bob.body.verified], [201, '+447911123456', 'Bob next door', true]);
      const carol = await add('email', { email: 'Carol@Family.Example', contactName: 'Carol' });
      assert.deepEqual([carol.status, carol.body.contactName, carol.body.verified], [201, 'Carol', false], 'a contact email waits for its link');
      const names = new Map((await list()).map((a) => [a.target, a.contactName]));
      assert.deepEqual(names, new Map([['ann@home.example', null], ['+447911123456', 'Bob next door'], ['carol@family.example', 'Carol']]));
    });

    test("the contact's link email says who added them and why", async () => {
      await h().app.cloud.outbox.drain();
      const invitation = h().sent.filter((m) => m.to === 'carol@family.example').at(-1);
      assert.ok(invitation, 'the verification email was sent');
      assert.equal(invitation.message.title, `${ann.email} added you as an emergency contact for gas and leak alarms`);
      assert.match(invitation.message.body, /Hello Carol/);
      assert.match(invitation.message.body, /\/verify-email\?token=/);
      const own = h().sent.filter((m) => m.to === 'ann@home.example').at(-1);
      assert.equal(own?.message.title, 'Confirm this address for EasyGas alarms', "the user's own address keeps its own wording");
    });

    test('an empty, blank or 61-character name is refused naming body.contactName, and nothing is stored', async () => {
      const before = await list();
      refusedOn(await add('email', { email: 'dan@example.com', contactName: '' }), 'body.contactName');
      refusedOn(await add('email', { email: 'dan@example.com', contactName: '    ' }), 'body.contactName');
      refusedOn(await add('sms', { phone: '+447911123457', contactName: 'x'.repeat(61) }), 'body.contactName');
      refusedOn(await add('sms', { phone: '+447911123457', contactName: 'Dan\u0007' }), 'body.contactName');
      const sixty = await add('sms', { phone: '+447911123457', contactName: ` ${'y'.repeat(60)} ` });
      assert.deepEqual([sixty.status, sixty.body.contactName?.length], [201, 60], 'sixty characters after trimming is the most');
      refusedOn(await add('sms', { phone: '12', contactName: 'Eve' }), 'body.phone');
      assert.equal((await list()).length, before.length + 1);
    });

    test('five contacts at most: the sixth is refused, re-adding one is not another, own addresses do not count', async () => {
      // Carol, Bob and the 60-character one are three; two more make five.
      assert.equal((await add('sms', { phone: '+447911123458', contactName: 'Fay' })).status, 201);
      assert.equal((await add('email', { email: 'gus@example.com', contactName: 'Gus' })).status, 201);
      const sixth = await add('email', { email: 'hal@example.com', contactName: 'Hal' });
      refusedOn(sixth, 'body.contactName');
      assert.match(sixth.body.issues?.[0]?.message ?? '', /5 emergency contacts, the most allowed: remove one/);
      const again = await add('sms', { phone: '+44 7911 123458', contactName: 'Fay Smith' });
      assert.deepEqual([again.status, again.body.contactName], [201, 'Fay Smith'], 'a contact added again is renamed, not counted twice');
      assert.equal((await add('email', { email: 'ann.work@example.com' })).status, 201, 'an own address is not a contact');
      const contacts = (await list()).filter((a) => a.contactName !== null);
      assert.equal(contacts.length, 5);
      assert.ok(!contacts.some((a) => a.target === 'hal@example.com'));

      const gus = contacts.find((a) => a.target === 'gus@example.com');
      assert.equal((await call(h().app, 'DELETE', `/api/channels/${gus?.id}`, { token: ann.token })).status, 204);
      assert.equal((await add('email', { email: 'hal@example.com', contactName: 'Hal' })).status, 201, 'room again after removing one');
    });
  });
}
