import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { credentialPath, readCredentialFile, writeCredentialFile, type CloudCredential } from './credential-file.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-cred-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const good: CloudCredential = { version: 1, cloudUrl: 'http://127.0.0.1:8080', gatewayId: 'gw-1', credential: 's3cret', provisionedAt: 1_700_000_000_000 };

describe('credential file', () => {
  it('writes mode 0600 atomically and reads back the same credential', () => {
    const path = credentialPath(dir);
    writeCredentialFile(path, good);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    const read = readCredentialFile(path);
    assert.ok(read.ok);
    assert.deepEqual(read.credential, good);
  });

  it('replaces an existing file and keeps it 0600', () => {
    const path = credentialPath(dir);
    writeFileSync(path, '{}', { mode: 0o644 });
    writeCredentialFile(path, { ...good, credential: 'rotated' });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const read = readCredentialFile(path);
    assert.ok(read.ok && read.credential.credential === 'rotated');
  });

  it('reports a missing file with the command that fixes it', () => {
    const read = readCredentialFile(join(dir, 'nope.json'));
    assert.ok(!read.ok);
    assert.equal(read.reason, 'missing');
    assert.match(read.message, /easygas provision --cloud URL --code CODE/);
  });

  it('refuses a malformed file with the field at fault', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...good, cloudUrl: 'ftp://x' }));
    const read = readCredentialFile(path);
    assert.ok(!read.ok);
    assert.equal(read.reason, 'invalid');
    assert.match(read.message, /cloudUrl/);
    writeFileSync(path, 'not json');
    const again = readCredentialFile(path);
    assert.ok(!again.ok && /not JSON/.test(again.message));
  });

  it('refuses to write an invalid credential', () => {
    assert.throws(() => writeCredentialFile(join(dir, 'x.json'), { ...good, gatewayId: '' }), /gatewayId/);
  });
});
