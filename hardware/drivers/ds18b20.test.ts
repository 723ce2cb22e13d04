import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HardwareError, type Result } from '../fault.js';
import { Ds18b20Sensor, listDs18b20, readDs18b20, type Ds18b20Reading } from './ds18b20.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const ID = '28-0316a2795aff';

/** A /sys/bus/w1/devices look-alike holding one w1_slave per id. */
function w1Tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'easygas-w1-'));
  roots.push(root);
  mkdirSync(join(root, 'w1_bus_master1'));
  for (const [id, text] of Object.entries(files)) {
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'w1_slave'), text);
  }
  return root;
}

const slave = (bytes: string, crc: string, verdict: 'YES' | 'NO', t: number): string =>
  `${bytes} : crc=${crc} ${verdict}\n${bytes} t=${t}\n`;

const GOOD = slave('72 01 4b 46 7f ff 0e 10 57', '57', 'YES', 23125);

async function read(text: string): Promise<Result<Ds18b20Reading>> {
  return readDs18b20(ID, { w1Root: w1Tree({ [ID]: text }) });
}

function faultOf(result: Result<unknown>): { code: string; message: string; hint?: string } {
  assert.equal(result.ok, false, 'expected a fault');
  return result.ok ? assert.fail() : result.fault;
}

describe('readDs18b20', () => {
  it('reads milli-degrees from the t= line', async () => {
    assert.deepEqual(await read(GOOD), { ok: true, value: { celsius: 23.125 } });
  });

  it('reads negative temperatures', async () => {
    const result = await read(slave('ec ff 4b 46 7f ff 04 10 f4', 'f4', 'YES', -1250));
    assert.deepEqual(result, { ok: true, value: { celsius: -1.25 } });
  });

  it('accepts the ends of the rated range', async () => {
    assert.deepEqual(await read(slave('90 fc 4b 46 7f ff 10 10 ee', 'ee', 'YES', -55000)), {
      ok: true,
      value: { celsius: -55 },
    });
    assert.deepEqual(await read(slave('d0 07 4b 46 7f ff 10 10 55', '55', 'YES', 125000)), {
      ok: true,
      value: { celsius: 125 },
    });
  });

  it('a CRC line saying NO is a crc fault', async () => {
    const fault = faultOf(await read(slave('72 01 4b 46 7f ff 0e 10 0d', '57', 'NO', 23125)));
    assert.equal(fault.code, 'crc');
    assert.match(fault.hint ?? '', /pull-up/);
  });

  it('exactly 85000 is the power-on value: suspect, with the supply hint', async () => {
    const fault = faultOf(await read(slave('50 05 4b 46 7f ff 0c 10 1c', '1c', 'YES', 85000)));
    assert.equal(fault.code, 'suspect');
    assert.match(fault.message, /power-on reset value 85 °C/);
    assert.match(fault.hint ?? '', /check the supply; a parasite-powered sensor needs a strong pull-up/);
  });

  it('85 °C by any other reading is a temperature', async () => {
    const result = await read(slave('51 05 4b 46 7f ff 0f 10 00', '00', 'YES', 85062));
    assert.deepEqual(result, { ok: true, value: { celsius: 85.062 } });
  });

  it('an all-zero scratchpad passes the CRC but is suspect', async () => {
    const fault = faultOf(await read(slave('00 00 00 00 00 00 00 00 00', '00', 'YES', 0)));
    assert.equal(fault.code, 'suspect');
    assert.match(fault.hint ?? '', /short to GND/);
  });

  it('outside −55…125 °C is out_of_range', async () => {
    assert.equal(faultOf(await read(slave('00 f8 4b 46 7f ff 10 10 00', '00', 'YES', 127937))).code, 'out_of_range');
    assert.equal(faultOf(await read(slave('00 fc 4b 46 7f ff 10 10 00', '00', 'YES', -64000))).code, 'out_of_range');
  });

  it('a file caught mid-write with one line is an io fault', async () => {
    const fault = faultOf(await read('72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n'));
    assert.equal(fault.code, 'io');
    assert.match(fault.message, /cut short/);
  });

  it('garbage and an empty file are io faults', async () => {
    assert.equal(faultOf(await read('')).code, 'io');
    assert.equal(faultOf(await read('hello\nworld\n')).code, 'io');
    assert.equal(faultOf(await read('72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 t=\n')).code, 'io');
  });

  it('a missing sensor is missing, with the 1-Wire hint', async () => {
    const fault = faultOf(await readDs18b20(ID, { w1Root: w1Tree({}) }));
    assert.equal(fault.code, 'missing');
    assert.match(fault.message, /DS18B20 28-0316a2795aff/);
    assert.match(fault.hint ?? '', /dtoverlay=w1-gpio/);
  });

  it('a file it may not read is a permission fault', { skip: process.getuid?.() === 0 && 'root reads any file' }, async () => {
    const root = w1Tree({ [ID]: GOOD });
    chmodSync(join(root, ID, 'w1_slave'), 0o000);
    assert.equal(faultOf(await readDs18b20(ID, { w1Root: root })).code, 'permission');
  });

  it('a directory where the file should be is an io fault', async () => {
    const root = w1Tree({});
    mkdirSync(join(root, ID, 'w1_slave'), { recursive: true });
    assert.equal(faultOf(await readDs18b20(ID, { w1Root: root })).code, 'io');
  });

  it('refuses an id that is not a DS18B20 (and never leaves the w1 root)', async () => {
    const fault = faultOf(await readDs18b20('../../etc', { w1Root: w1Tree({}) }));
    assert.equal(fault.code, 'missing');
    assert.match(fault.message, /not a DS18B20 id/);
  });
});

describe('listDs18b20', () => {
  it('lists only 28-* sensors, sorted', async () => {
    const root = w1Tree({ '28-0316a2795aff': GOOD, '28-00000a1b2c3d': GOOD, '10-000802b4ba0e': GOOD });
    assert.deepEqual(await listDs18b20(root), ['28-00000a1b2c3d', '28-0316a2795aff']);
  });

  it('is empty when the bus has no sensor', async () => {
    assert.deepEqual(await listDs18b20(w1Tree({})), []);
  });

  it('throws a missing HardwareError with the w1 hint when 1-Wire is off', async () => {
    await assert.rejects(listDs18b20(join(tmpdir(), 'easygas-no-w1-here')), (err: unknown) => {
      assert.ok(err instanceof HardwareError);
      assert.equal(err.code, 'missing');
      assert.match(err.hint ?? '', /dtoverlay=w1-gpio/);
      return true;
    });
  });
});

describe('Ds18b20Sensor', () => {
  it('counts every outcome', async () => {
    const root = w1Tree({ [ID]: GOOD });
    const sensor = new Ds18b20Sensor(ID, { w1Root: root });
    assert.deepEqual(await sensor.read(), { ok: true, value: { celsius: 23.125 } });
    writeFileSync(join(root, ID, 'w1_slave'), slave('72 01 4b 46 7f ff 0e 10 0d', '57', 'NO', 23125));
    await sensor.read();
    rmSync(join(root, ID), { recursive: true });
    await sensor.read();
    await sensor.read();
    assert.deepEqual(sensor.counts(), { ok: 1, crc: 1, missing: 2 });
  });
});
