import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createError, EasygasError, ERRORS, EXIT_CONFIG, formatError, isEasygasError, renderTemplate, type ErrorCode } from './errors.js';

describe('error catalogue', () => {
  it('has the codes other parts rely on, each with a message and a hint', () => {
    const required: ErrorCode[] = [
      'EASYGAS_CONFIG_NOT_FOUND',
      'EASYGAS_CONFIG_SYNTAX',
      'EASYGAS_CONFIG_INVALID',
      'EASYGAS_CONFIG_TOO_NEW',
      'EASYGAS_ENV_OVERRIDE_UNKNOWN',
      'EASYGAS_DATA_DIR_UNWRITABLE',
      'EASYGAS_PORT_IN_USE',
      'EASYGAS_SENSOR_UNKNOWN',
    ];
    for (const code of required) {
      assert.ok(code in ERRORS, code);
      assert.ok(ERRORS[code].message.length > 0 && ERRORS[code].hint.length > 10, code);
    }
  });

  it('names every code EASYGAS_*', () => {
    for (const code of Object.keys(ERRORS)) assert.match(code, /^EASYGAS_[A-Z0-9_]+$/);
  });

  it('fills the template from the parameters, in the message and the hint', () => {
    const error = createError('EASYGAS_DATA_DIR_UNWRITABLE', { path: '/var/lib/easygas', reason: 'EACCES' });
    assert.equal(error.message, 'data directory /var/lib/easygas is not writable: EACCES');
    assert.match(error.hint, /sudo install -d -o easygas -g easygas \/var\/lib\/easygas/);
    assert.equal(error.code, 'EASYGAS_DATA_DIR_UNWRITABLE');
  });

  it('says what to do about a port in use, as the MQTT broker will need it', () => {
    const error = createError('EASYGAS_PORT_IN_USE', {
      port: 1883,
      by: ' (Mosquitto?)',
      setting: 'mqtt.port',
      envVar: 'EASYGAS_MQTT_PORT',
      alternative: ', or mqtt.mode: external to use that broker',
    });
    assert.equal(error.message, 'port 1883 is in use (Mosquitto?)');
    assert.equal(error.hint, 'Set mqtt.port (or EASYGAS_MQTT_PORT) to a free port, or mqtt.mode: external to use that broker.');
  });

  it('is an Error with a code, hint, exit code, details and cause', () => {
    const cause = new Error('ENOENT');
    const error = createError('EASYGAS_CONFIG_INVALID', { path: 'x.yaml', count: '2 errors' }, { details: [1, 2], cause });
    assert.ok(error instanceof Error && error instanceof EasygasError);
    assert.equal(error.name, 'EasygasError');
    assert.equal(error.exitCode, EXIT_CONFIG);
    assert.deepEqual(error.details, [1, 2]);
    assert.equal(error.cause, cause);
    assert.ok(isEasygasError(error));
    assert.ok(isEasygasError(error, 'EASYGAS_CONFIG_INVALID'));
    assert.ok(!isEasygasError(error, 'EASYGAS_CONFIG_SYNTAX'));
    assert.ok(!isEasygasError(new Error('plain')));
  });

  it('formats for stderr with the code and the hint on its own line', () => {
    const text = formatError(createError('EASYGAS_SENSOR_UNKNOWN', { id: 'lpgg', known: 'lpg, roof-tank' }));
    assert.equal(text, 'EASYGAS_SENSOR_UNKNOWN: no sensor has the id "lpgg"\n  Use one of the ids in the config file: lpg, roof-tank.');
  });

  it('leaves an unknown placeholder visible instead of dropping it', () => {
    assert.equal(renderTemplate('a {x} b {y}', { x: 1 }), 'a 1 b {y}');
  });
});
