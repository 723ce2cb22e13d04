import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest, editDistance } from './suggest.js';

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('intreval', 'interval'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });

  it('suggests the nearest key for a typo', () => {
    assert.equal(closest('intreval', ['id', 'name', 'interval', 'source']), 'interval');
    assert.equal(closest('i2cbus', ['i2cBus', 'gpioSysfsRoot', 'w1Root']), 'i2cBus');
  });

  it('ignores case and the separators people use in other tools', () => {
    assert.equal(closest('batch_max_rows', ['batchInterval', 'batchMaxRows']), 'batchMaxRows');
    assert.equal(closest('EASYGAS_MQTT_PROT', ['EASYGAS_MQTT_PORT', 'EASYGAS_MQTT_HOST']), 'EASYGAS_MQTT_PORT');
  });

  it('says nothing when no candidate is close', () => {
    assert.equal(closest('telemetry', ['version', 'gateway', 'log', 'store']), undefined);
    assert.equal(closest('x', []), undefined);
  });
});
