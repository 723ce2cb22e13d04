import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runConfigCheck, type ConfigCheckReport } from './config-check.js';

const EXAMPLE = join(import.meta.dirname, '..', 'config', 'gateway.example.yaml');
const INVALID = join(import.meta.dirname, '..', 'config', 'fixtures', 'invalid.yaml');

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
  };
  return { out, io };
}

describe('easygas config check', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'easygas-check-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 with a one-line summary, warnings on stderr', async () => {
    const { out, io } = capture();
    const code = await runConfigCheck({ config: EXAMPLE, env: {} }, io);
    assert.equal(code, 0);
    assert.equal(
      out.stdout,
      `${EXAMPLE} is valid: 4 sensors (lpg, roof-tank, kitchen-gas, sink-leak), MQTT embedded on 0.0.0.0:1883, cloud once provisioned, API on 127.0.0.1:8470, hush 5m\n`,
    );
    assert.match(out.stderr, /^warning: sensors\[2\]: an MQ-6 is a supplementary gas sniffer.* \(line \d+\)\n$/);
  });

  it('exits 1 with every error on stderr as "path: message (line N)"', async () => {
    const { out, io } = capture();
    const code = await runConfigCheck({ config: INVALID, env: {} }, io);
    assert.equal(code, 1);
    assert.equal(out.stdout, '');
    const lines = out.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `${INVALID}: 38 errors`);
    assert.equal(lines.length, 39);
    assert.ok(lines.includes('  sensors[0].intreval: unknown key — did you mean `interval`? (line 20)'), out.stderr);
  });

  it('prints { ok, file, errors, warnings } with --json', async () => {
    const bad = capture();
    assert.equal(await runConfigCheck({ config: INVALID, json: true, env: {} }, bad.io), 1);
    const report = JSON.parse(bad.out.stdout) as ConfigCheckReport;
    assert.equal(report.ok, false);
    assert.equal(report.file, INVALID);
    assert.equal(report.errors.length, 38);
    assert.deepEqual(report.errors[0], { path: 'gateway.name', message: 'must not be empty', line: 5 });
    assert.equal(bad.out.stderr, '');

    const good = capture();
    assert.equal(await runConfigCheck({ config: EXAMPLE, json: true, env: {} }, good.io), 0);
    const ok = JSON.parse(good.out.stdout) as ConfigCheckReport;
    assert.deepEqual([ok.ok, ok.errors.length, ok.warnings.length], [true, 0, 1]);
  });

  it('finds the file through EASYGAS_CONFIG and reports the overrides it applied', async () => {
    const path = join(dir, 'gateway.yaml');
    await copyFile(EXAMPLE, path);
    const { out, io } = capture();
    const code = await runConfigCheck({ env: { EASYGAS_CONFIG: path, EASYGAS_MQTT_PORT: '1884' } }, io);
    assert.equal(code, 0);
    assert.match(out.stdout, new RegExp(`^${path} is valid: .*MQTT embedded on 0\\.0\\.0\\.0:1884.*; from the environment: EASYGAS_MQTT_PORT\\n$`));
  });

  it('says how to create a missing file, and that YAML is broken where it is', async () => {
    const missing = capture();
    assert.equal(await runConfigCheck({ config: join(dir, 'none.yaml'), env: {} }, missing.io), 1);
    assert.match(missing.out.stderr, /1 error\n {2}config file .*none\.yaml not found — Create it from the documented example/);

    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'version: 1\nlog:\n  level: "info\n');
    const syntax = capture();
    assert.equal(await runConfigCheck({ config: broken, env: {} }, syntax.io), 1);
    assert.match(syntax.out.stderr, /broken\.yaml:4:1: YAML syntax error: Missing closing "quote \(line 4, column 1\)/);
  });
});
