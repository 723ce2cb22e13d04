import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML, { isMap, isScalar, isSeq } from 'yaml';
import { isEasygasError } from '../errors.js';
import { formatIssue, formatPath, type ConfigIssue } from './issues.js';
import { configLoadError, DEFAULT_CONFIG_PATH, loadConfig, parseConfig, resolveConfigPath, type LoadConfigResult } from './load.js';
import type { Migration } from './migrate.js';
import { gatewayConfigSchema } from './schema.js';
import { schemaAt, type PathKey } from './schema-walk.js';

const here = import.meta.dirname;
const EXAMPLE = join(here, 'gateway.example.yaml');
const INVALID = join(here, 'fixtures', 'invalid.yaml');

function errorsOf(result: LoadConfigResult): readonly ConfigIssue[] {
  assert.ok(!result.ok, 'expected the config to be refused');
  return result.errors;
}

describe('loadConfig: the documented example', () => {
  it('validates, with only the MQ-6 note as a warning', async () => {
    const result = await loadConfig({ path: EXAMPLE, env: {} });
    assert.ok(result.ok, result.ok ? '' : result.errors.map(formatIssue).join('\n'));
    assert.deepEqual(
      result.warnings.map((w) => w.path),
      ['sensors[2]'],
    );
    assert.match(result.warnings[0]?.message ?? '', /supplementary/);
    assert.equal(result.source.path, EXAMPLE);
  });

  it('describes the typical home of the brief', async () => {
    const result = await loadConfig({ path: EXAMPLE, env: {} });
    assert.ok(result.ok);
    const { sensors, outputs, mqtt, cloud } = result.config;
    assert.deepEqual(
      sensors.map((s) => [s.id, s.kind, s.source.driver]),
      [
        ['lpg', 'level', 'ads1115'],
        ['roof-tank', 'level', 'ultrasonic'],
        ['kitchen-gas', 'gas', 'mq6'],
        ['sink-leak', 'leak', 'contact'],
      ],
    );
    const [lpg, tank, gas, leak] = sensors;
    assert.deepEqual(lpg?.source, { driver: 'ads1115', address: 0x48, input: 'AIN0', fullScale: 2.048, dataRate: 128 });
    assert.deepEqual(lpg?.calibration, { type: 'two_point', points: [{ raw: 1.81, value: 5 }, { raw: 0.39, value: 80 }] });
    assert.deepEqual(lpg?.level?.tank, { shape: 'capacity', litres: 108, maxFillFraction: 0.8 });
    assert.deepEqual(tank?.level, {
      measures: 'distance_mm',
      mountHeightMm: 1250,
      blindZoneMm: 30,
      tank: { shape: 'vertical_cylinder', diameterMm: 1100, heightMm: 1100, maxFillFraction: 1 },
    });
    assert.equal(tank?.source.driver === 'ultrasonic' ? `${tank.source.port} ${tank.source.model}` : '', '/dev/serial0 A02YYUW');
    assert.equal(gas?.source.driver === 'mq6' ? `${gas.source.input} ×${gas.source.dividerRatio} @${gas.source.address}` : '', 'AIN1 ×1.5 @72');
    assert.equal(leak?.source.driver === 'contact' ? `${leak.source.gpio} ${String(leak.source.activeLow)}` : '', '17 true');
    assert.deepEqual(
      [outputs.buzzer?.gpio, outputs.ledGreen?.gpio, outputs.ledRed?.gpio, outputs.hushButton?.gpio, outputs.hushButton?.activeLow],
      [18, 23, 24, 27, true],
    );
    assert.equal(mqtt.mode, 'embedded');
    assert.equal(cloud.enabled, undefined, 'unset: sync starts once the gateway is provisioned');
  });

  it('uses only keys the schema has (checked apart from strict parsing)', async () => {
    const doc = YAML.parseDocument(await readFile(EXAMPLE, 'utf8'));
    const data: unknown = doc.toJS();
    const missing: string[] = [];
    let count = 0;
    const visit = (node: unknown, path: PathKey[]): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          const at = [...path, key];
          count++;
          if (schemaAt(gatewayConfigSchema, at, data) === undefined) missing.push(formatPath(at));
          visit(pair.value, at);
        }
      } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
    };
    visit(doc.contents, []);
    assert.ok(count > 100, `walked ${count} keys`);
    assert.deepEqual(missing, []);
  });

  it('explains every key with a comment on its line or just above it', async () => {
    const lines = (await readFile(EXAMPLE, 'utf8')).split('\n');
    const silent: string[] = [];
    lines.forEach((line, i) => {
      if (!/^\s*(- )?[A-Za-z][A-Za-z0-9]*:/.test(line)) return;
      const previous = (lines[i - 1] ?? '').trim();
      if (!line.includes(' # ') && !previous.startsWith('#')) silent.push(`${i + 1}: ${line.trim()}`);
    });
    assert.deepEqual(silent, []);
  });
});

describe('loadConfig: every error at once', () => {
  it('lists every planted mistake with its path, on the line marked ✗, in file order', async () => {
    const text = await readFile(INVALID, 'utf8');
    const errors = errorsOf(parseConfig(text, { env: {} }));
    const listed = errors.map((e) => `${e.line ?? '-'} ${e.path}`);
    assert.deepEqual(listed, [
      '5 gateway.name',
      '6 gateway.dataDir',
      '8 log.level',
      '9 log.pretty',
      '11 store.batchInterval',
      '12 store.batchMaxRows',
      '13 store.maxSize',
      '15 hardware.i2cbus',
      '17 sensors[0].id',
      '20 sensors[0].intreval',
      '23 sensors[0].source.address',
      '24 sensors[0].source.input',
      '25 sensors[0].source.fullScale',
      '31 sensors[0].calibration.points[2].raw',
      '34 sensors[0].level.tank.maxFillFraction',
      '36 sensors[0].rules.lowLevel.criticalPercent',
      '44 sensors[1].source.mode',
      '45 sensors[1].level.mountHeightMm',
      '48 sensors[2].calibration.r0Ohms',
      '48 sensors[2].id',
      '55 sensors[2].rules.gas.warningLel',
      '59 sensors[3].source.input',
      '66 sensors[4].source.headerPin',
      '70 sensors[5].source.id',
      '71 sensors[5].level',
      '78 sensors[7].kind',
      '80 sensors[8].level',
      '83 sensors[8].source.driver',
      '85 outputs.buzzer.gpio',
      '86 outputs.ledRed.gpio',
      '87 outputs.hushButton.headerPin',
      '89 alarms.hush',
      '92 mqtt.password',
      '94 mqtt.users[0].passwordHash',
      '95 api.password',
      '97 api.port',
      '99 cloud.url',
      '100 telemetry',
    ]);
    // Every line the fixture marks with ✗ is named by at least one error.
    const marked = text.split('\n').flatMap((line, i) => (line.includes('# ✗') ? [i + 1] : []));
    const named = new Set(errors.map((e) => e.line));
    assert.deepEqual(
      marked.filter((line) => !named.has(line)),
      [],
    );
  });

  it('words each error so the user knows what to do', async () => {
    const errors = errorsOf(parseConfig(await readFile(INVALID, 'utf8'), { env: {} }));
    const text = errors.map(formatIssue).join('\n');
    for (const expected of [
      'hardware.i2cbus: unknown key — did you mean `i2cBus`? (line 15)',
      'sensors[0].intreval: unknown key — did you mean `interval`? (line 20)',
      'sensors[0].source.address: must be an I2C address from 0x03 to 0x77 (an ADS1115 answers at 0x48–0x4b), not 0x90 (line 23)',
      'sensors[7].kind: must be one of level, gas, leak, temperature, not "gaz" — did you mean gas? (line 78)',
      'outputs.buzzer.gpio: GPIO17 (pin 11) is already used by sensors[6] (shower) (line 85)',
      'alarms.hush: must be at most 10m (line 89)',
    ]) {
      assert.ok(text.includes(expected), `missing:\n${expected}\nin:\n${text}`);
    }
    assert.match(text, /sensors\[2\]\.calibration\.r0Ohms: missing — measure it: run `easygas calibrate tank`/);
  });

  it('reports YAML syntax errors with line and column, and stops there', () => {
    const errors = errorsOf(parseConfig('version: 1\nsensors:\n  - id: a\n    id: b\n', { path: 'g.yaml', env: {} }));
    assert.equal(errors.length, 1);
    assert.deepEqual([errors[0]?.line, errors[0]?.column, errors[0]?.code], [4, 5, 'EASYGAS_CONFIG_SYNTAX']);
    assert.equal(errors[0]?.message, 'g.yaml:4:5: YAML syntax error: Map keys must be unique');
    const tabs = errorsOf(parseConfig('version: 1\nlog:\n\tlevel: info\n', { env: {} }));
    assert.match(tabs[0]?.message ?? '', /:3:1: YAML syntax error: Tabs are not allowed as indentation/);
  });

  it('asks for the version in an empty file, and for a block of settings in a list', () => {
    assert.deepEqual(
      errorsOf(parseConfig('', { env: {} })).map((e) => e.path),
      ['version'],
    );
    assert.match(errorsOf(parseConfig('- a\n- b\n', { env: {} }))[0]?.message ?? '', /must be a block of settings/);
  });

  it('refuses a file from a newer easygas with one clear error', () => {
    const errors = errorsOf(parseConfig('# new\nversion: 3\nsomething: new\n', { path: '/etc/easygas/gateway.yaml', env: {} }));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'EASYGAS_CONFIG_TOO_NEW');
    assert.equal(errors[0]?.line, 2);
    assert.match(errors[0]?.message ?? '', /is config version 3, but this easygas reads versions up to 1 — Upgrade easygas/);
  });

  it('migrates an older file in memory and says so', () => {
    const v0: Migration = {
      from: 0,
      description: 'alarms.silence → alarms.hush',
      migrate: ({ alarms, ...rest }) => ({ ...rest, alarms: { hush: (alarms as { silence: string }).silence } }),
    };
    const result = parseConfig('version: 0\nalarms:\n  silence: 4m\n', { env: {}, migrations: [v0] });
    assert.ok(result.ok, result.ok ? '' : result.errors.map(formatIssue).join('\n'));
    assert.equal(result.config.alarms.hush, 240_000);
    assert.equal(result.source.migratedFrom, 0);
    assert.deepEqual(result.source.migrationSteps, ['v0 → v1: alarms.silence → alarms.hush']);
    assert.match(result.warnings.map(formatIssue).join('\n'), /^version: the file is config version 0; it was read as version 1/m);
  });
});

describe('loadConfig: environment', () => {
  it('applies overrides before validation and names them in the source', () => {
    const result = parseConfig('version: 1\n', { env: { EASYGAS_MQTT_PORT: '1884', EASYGAS_ALARMS_HUSH: '4m', HOME: '/root' } });
    assert.ok(result.ok);
    assert.equal(result.config.mqtt.port, 1884);
    assert.equal(result.config.alarms.hush, 240_000);
    assert.deepEqual(
      result.source.envOverrides.map((o) => o.name),
      ['EASYGAS_ALARMS_HUSH', 'EASYGAS_MQTT_PORT'],
    );
  });

  it('blames a bad value on its variable, and lists unknown variables with the file’s errors', () => {
    const errors = errorsOf(
      parseConfig('version: 1\nalarms:\n  hush: 30m\n', { env: { EASYGAS_MQTT_PORT: '99999', EASYGAS_MQTT_PROT: '1', EASYGAS_CONFIG: '/x' } }),
    );
    assert.deepEqual(errors.map(formatIssue), [
      'alarms.hush: must be at most 10m (line 3)',
      'mqtt.port: must be a TCP port from 1 to 65535 (from EASYGAS_MQTT_PORT)',
      'environment variable EASYGAS_MQTT_PROT matches no config setting — did you mean EASYGAS_MQTT_PORT?',
    ]);
    assert.equal(errors[1]?.envVar, 'EASYGAS_MQTT_PORT');
  });

  it('refuses an unknown variable even when the file is fine', () => {
    const errors = errorsOf(parseConfig('version: 1\n', { env: { EASYGAS_TELEMETRY: '1' } }));
    assert.deepEqual(
      errors.map((e) => e.code),
      ['EASYGAS_ENV_OVERRIDE_UNKNOWN'],
    );
  });
});

describe('loadConfig: files', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'easygas-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says how to create a missing file', async () => {
    const path = join(dir, 'nope.yaml');
    const errors = errorsOf(await loadConfig({ path, env: {} }));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'EASYGAS_CONFIG_NOT_FOUND');
    assert.match(errors[0]?.message ?? '', new RegExp(`config file ${path} not found — Create it from the documented example`));
    const error = configLoadError(errors, path);
    assert.ok(isEasygasError(error, 'EASYGAS_CONFIG_NOT_FOUND'));
  });

  it('says why a path cannot be read', async () => {
    const errors = errorsOf(await loadConfig({ path: dir, env: {} }));
    assert.equal(errors[0]?.code, 'EASYGAS_CONFIG_UNREADABLE');
    assert.match(errors[0]?.message ?? '', /EISDIR/);
  });

  it('reads the file EASYGAS_CONFIG names when no path is given', async () => {
    const path = join(dir, 'gateway.yaml');
    await writeFile(path, 'version: 1\ngateway:\n  name: From env\n');
    const result = await loadConfig({ env: { EASYGAS_CONFIG: path } });
    assert.ok(result.ok);
    assert.equal(result.config.gateway.name, 'From env');
  });

  it('resolves the path: --config, then EASYGAS_CONFIG, then /etc/easygas/gateway.yaml', () => {
    assert.equal(resolveConfigPath('/a.yaml', { EASYGAS_CONFIG: '/b.yaml' }), '/a.yaml');
    assert.equal(resolveConfigPath(undefined, { EASYGAS_CONFIG: '/b.yaml' }), '/b.yaml');
    assert.equal(resolveConfigPath(undefined, {}), DEFAULT_CONFIG_PATH);
    assert.equal(DEFAULT_CONFIG_PATH, '/etc/easygas/gateway.yaml');
  });

  it('turns a failed load into EASYGAS_CONFIG_INVALID carrying every issue', () => {
    const errors = errorsOf(parseConfig('version: 1\nalarms: { hush: 1h }\napi: { port: 0 }\n', { env: {} }));
    const error = configLoadError(errors, 'gateway.yaml');
    assert.ok(isEasygasError(error, 'EASYGAS_CONFIG_INVALID'));
    assert.equal(error.message, 'gateway.yaml has 2 errors');
    assert.deepEqual(error.details, errors);
  });
});
