import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DRIVERS_FOR_KIND, SENSOR_KINDS } from './schema.js';
import { DRIVERS } from './schema/sources.js';
import { assertIssues, configDoc, issuesOf, sensor, SENSORS, valid, type Doc } from './test-support/configs.js';

describe('gateway config schema: defaults', () => {
  it('completes a file that says only version: 1', () => {
    const config = valid({ version: 1 });
    assert.deepEqual(config.gateway, { name: 'EasyGas gateway', dataDir: '/var/lib/easygas' });
    assert.deepEqual(config.log, { level: 'info', pretty: 'auto' });
    assert.deepEqual(config.store, { batchInterval: 1000, batchMaxRows: 500, maxSize: 200_000_000, downsampleBucket: 300_000 });
    assert.deepEqual(config.hardware, { i2cBus: 1, gpioSysfsRoot: '/sys/class/gpio', w1Root: '/sys/bus/w1/devices' });
    assert.deepEqual(config.sensors, []);
    assert.deepEqual(config.outputs, {});
    assert.deepEqual(config.alarms, { hush: 300_000, testDuration: 5000 });
    assert.deepEqual(config.mqtt, {
      mode: 'embedded',
      host: '0.0.0.0',
      port: 1883,
      users: [],
      allowAnonymous: false,
      anonymousTopics: [],
      patterns: [],
      baseTopic: 'easygas',
      discoveryPrefix: 'homeassistant',
      maxPayloadBytes: 4096,
    });
    assert.deepEqual(config.cloud, {
      batchMaxRecords: 500, batchMaxBytes: 262_144, heartbeat: 60_000, retryMax: 60_000, connectTimeout: 10_000, requestTimeout: 30_000,
    });
    assert.deepEqual(config.api, { host: '127.0.0.1', port: 8470 });
  });

  it('asks for the version when it is missing, and refuses another one', () => {
    assertIssues({}, [['version', /missing — add `version: 1` as the first line/]]);
    assertIssues({ version: 2 }, [['version', /must be 1/]]);
  });

  it('samples each kind at its default interval', () => {
    const config = valid(configDoc({ sensors: [sensor('lpg'), sensor('gas'), sensor('leak'), sensor('temperature')] }));
    assert.deepEqual(
      config.sensors.map((s) => [s.kind, s.interval]),
      [
        ['level', 30_000],
        ['gas', 2000],
        ['leak', 1000],
        ['temperature', 60_000],
      ],
    );
  });

  it('gives each kind its rules with the documented defaults', () => {
    const config = valid(configDoc({ sensors: [sensor('lpg'), sensor('gas'), sensor('leak'), sensor('temperature')] }));
    const [level, gas, leak, temperature] = config.sensors;
    assert.deepEqual(level?.rules, {
      lowLevel: { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 3, minDurationMs: 300_000 },
      suddenDrop: { type: 'sudden_drop', dropPercent: 15, windowMs: 600_000 },
      sensorFault: { type: 'sensor_fault', minDurationMs: 60_000 },
    });
    assert.deepEqual(gas?.rules, {
      gas: { type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 0 },
      sensorFault: { type: 'sensor_fault', minDurationMs: 60_000 },
    });
    assert.deepEqual(leak?.rules, { leak: { type: 'leak', minDurationMs: 0 }, sensorFault: { type: 'sensor_fault', minDurationMs: 60_000 } });
    assert.deepEqual(temperature?.rules, { sensorFault: { type: 'sensor_fault', minDurationMs: 60_000 } });
  });

  it('merges a partial rule with its defaults, and switches a rule off with false', () => {
    const config = valid(configDoc({ sensors: [sensor('lpg', { rules: { lowLevel: { warningPercent: 30 }, suddenDrop: false } })] }));
    assert.equal(config.sensors[0]?.rules.lowLevel?.warningPercent, 30);
    assert.equal(config.sensors[0]?.rules.lowLevel?.criticalPercent, 10);
    assert.equal(config.sensors[0]?.rules.suddenDrop, undefined);
  });

  it('fills the MQ-6 calibration and source defaults', () => {
    const gas = valid(configDoc({ sensors: [sensor('gas')] })).sensors[0];
    assert.deepEqual(gas?.calibration, {
      type: 'mq6',
      supplyVolts: 5,
      loadOhms: 20_000,
      r0Ohms: 10_000,
      curve: { a: 1009.2, b: -2.35 },
      gasMix: { propane: 0.6, butane: 0.4 },
    });
    assert.deepEqual(gas?.source, { driver: 'mq6', address: 0x48, input: 'AIN1', fullScale: 4.096, dataRate: 128, dividerRatio: 1.5, warmup: 180_000 });
  });

  it('reads ultrasonic, DS18B20 and contact values as they are (identity) and fills the blind zone', () => {
    const [tank, leak, temperature] = valid(configDoc({ sensors: [sensor('tank'), sensor('leak'), sensor('temperature')] })).sensors;
    assert.deepEqual(tank?.calibration, { type: 'identity' });
    assert.deepEqual(leak?.calibration, { type: 'identity' });
    assert.deepEqual(temperature?.calibration, { type: 'identity' });
    assert.equal(tank?.level?.blindZoneMm, 30);
    assert.equal(tank?.level?.tank.maxFillFraction, 1);
  });

  it('turns a header pin into its BCM line', () => {
    const config = valid(configDoc({ sensors: [sensor('leak', { source: { driver: 'contact', headerPin: 13 } })], outputs: { buzzer: { headerPin: 12 } } }));
    const source = config.sensors[0]?.source;
    assert.equal(source?.driver === 'contact' ? source.gpio : undefined, 27);
    assert.equal(config.outputs.buzzer?.gpio, 18);
  });

  it('accepts an I2C address written as text, as an environment variable gives it', () => {
    const lpg = sensor('lpg', { source: { driver: 'ads1115', address: '0x49', input: 'AIN0' } });
    const source = valid(configDoc({ sensors: [lpg] })).sensors[0]?.source;
    assert.equal(source?.driver === 'ads1115' ? source.address : undefined, 0x49);
  });
});

describe('gateway config schema: sensors', () => {
  /** The smallest sensor of `kind` reading through `driver`, everything else valid. */
  function pairing(kind: string, driver: string): Doc {
    const sources: Record<string, Doc> = {
      ads1115: { driver: 'ads1115', input: 'AIN2' },
      mq6: { driver: 'mq6', input: 'AIN3' },
      ultrasonic: { driver: 'ultrasonic', port: '/dev/ttyUSB0', model: 'A02YYUW' },
      contact: { driver: 'contact', gpio: 22 },
      ds18b20: { driver: 'ds18b20', id: '28-0000000000aa' },
      mqtt: { driver: 'mqtt', node: 'n1' },
    };
    const doc: Doc = { id: 's', name: 'S', kind, source: sources[driver] };
    if (kind === 'level') doc.level = { measures: 'distance_mm', mountHeightMm: 1000, tank: { shape: 'capacity', litres: 100 } };
    if (driver === 'mq6') doc.calibration = { type: 'mq6', r0Ohms: 9000 };
    if (driver === 'ads1115') doc.calibration = { type: 'offset', scale: 100 };
    return doc;
  }

  it('lets each kind use exactly the drivers of the compatibility table', () => {
    for (const kind of SENSOR_KINDS) {
      for (const driver of DRIVERS) {
        const issues = issuesOf(configDoc({ sensors: [pairing(kind, driver)] })).filter((i) => i.startsWith('sensors[0].source.driver:'));
        const allowed = DRIVERS_FOR_KIND[kind].includes(driver);
        assert.equal(issues.length, allowed ? 0 : 1, `${kind} ← ${driver}: ${issues.join('; ')}`);
      }
    }
  });

  it('requires ids that are unique slugs, and a name', () => {
    assertIssues(configDoc({ sensors: [sensor('lpg', { id: 'LPG' }), sensor('leak', { name: '' })] }), [
      ['sensors[0].id', /lowercase letters, digits/],
      ['sensors[1].name', /must not be empty/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('lpg'), sensor('leak', { id: 'lpg' })] }), [['sensors[1].id', /"lpg" is already the id of sensors\[0\]/]]);
  });

  it('asks an MQ-6 for its R0 by the sensor id, and a bare ADC for its calibration', () => {
    assertIssues(configDoc({ sensors: [sensor('gas', { calibration: undefined }), sensor('lpg', { calibration: undefined })] }), [
      ['sensors[0].calibration.r0Ohms', /run `easygas calibrate kitchen-gas` with the sensor in clean air/],
      ['sensors[1].calibration', /run `easygas calibrate lpg`/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('gas', { calibration: { type: 'mq6' } })] }), [
      ['sensors[0].calibration.r0Ohms', /easygas calibrate kitchen-gas/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('gas', { calibration: { type: 'identity' } })] }), [['sensors[0].calibration.type', /must be mq6/]]);
  });

  it('needs a tank for a level sensor, and none for others', () => {
    assertIssues(configDoc({ sensors: [sensor('lpg', { level: undefined }), sensor('leak', { level: SENSORS.lpg.level })] }), [
      ['sensors[0].level', /missing — a level sensor needs its tank/],
      ['sensors[1].level', /only level sensors have a tank/],
    ]);
  });

  it('makes an ultrasonic sensor measure distance from a mount above its blind zone', () => {
    const level = (changes: Doc): Doc => ({ ...SENSORS.tank.level, ...changes });
    assertIssues(configDoc({ sensors: [sensor('tank', { level: level({ measures: 'height_mm' }) })] }), [
      ['sensors[0].level.measures', /must be distance_mm for an ultrasonic sensor/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('tank', { level: level({ mountHeightMm: undefined }) })] }), [
      ['sensors[0].level.mountHeightMm', /missing — the height of the sensor face/],
    ]);
    const jsn = { driver: 'ultrasonic', port: '/dev/serial0', model: 'JSN-SR04T', mode: 'triggered' };
    assertIssues(configDoc({ sensors: [sensor('tank', { source: jsn, level: level({ mountHeightMm: 150 }) })] }), [
      ['sensors[0].level.mountHeightMm', /above the blind zone \(200 mm for the JSN-SR04T\)/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('tank', { source: { ...SENSORS.tank.source, mode: 'triggered' } })] }), [
      ['sensors[0].source.mode', /the A02YYUW only streams/],
    ]);
  });

  it('keeps thresholds in order, after merging defaults', () => {
    assertIssues(configDoc({ sensors: [sensor('lpg', { rules: { lowLevel: { warningPercent: 8 } } })] }), [
      ['sensors[0].rules.lowLevel.criticalPercent', /must be below warningPercent \(8 %\)/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('gas', { rules: { gas: { warningLel: 30, severeLel: 20 } } })] }), [
      ['sensors[0].rules.gas.warningLel', /must be below alarmLel \(25 %LEL\)/],
      ['sensors[0].rules.gas.severeLel', /must be above alarmLel \(25 %LEL\)/],
    ]);
  });

  it('refuses a rule the kind does not have', () => {
    assertIssues(configDoc({ sensors: [sensor('leak', { rules: { lowLevel: { warningPercent: 30 } } })] }), [
      ['sensors[0].rules.lowLevel', /a leak sensor has no lowLevel rule; its rules are leak, sensorFault/],
    ]);
  });

  it('needs calibration tables whose raw values only rise or only fall', () => {
    const table = (points: [number, number][]): Doc => ({ type: 'piecewise', points: points.map(([raw, value]) => ({ raw, value })) });
    valid(configDoc({ sensors: [sensor('lpg', { calibration: table([[0.4, 80], [1, 40], [1.8, 5]]) })] }));
    valid(configDoc({ sensors: [sensor('lpg', { calibration: table([[1.8, 5], [1, 40], [0.4, 80]]) })] }));
    assertIssues(configDoc({ sensors: [sensor('lpg', { calibration: table([[1.8, 5], [1, 40], [1, 80]]) })] }), [
      ['sensors[0].calibration.points[2].raw', /strictly decreasing/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('lpg', { calibration: table([[1.8, 5]]) })] }), [['sensors[0].calibration.points', /at least 2 points/]]);
    const twoPoint = { type: 'two_point', points: [{ raw: 1, value: 5 }, { raw: 1, value: 80 }] };
    assertIssues(configDoc({ sensors: [sensor('lpg', { calibration: twoPoint })] }), [['sensors[0].calibration.points[1].raw', /must differ/]]);
    const resistive = { type: 'resistive', supplyVolts: 3.3, referenceOhms: 100, points: [{ raw: 0, value: 5 }, { raw: 90, value: 80 }, { raw: 45, value: 40 }] };
    assertIssues(configDoc({ sensors: [sensor('lpg', { calibration: resistive })] }), [['sensors[0].calibration.points[2].raw', /strictly increasing/]]);
  });

  it('names the calibration type to use when it is wrong or missing', () => {
    assertIssues(configDoc({ sensors: [sensor('lpg', { calibration: { type: 'twopoint', points: [] } })] }), [
      ['sensors[0].calibration.type', /must be one of identity, offset, two_point, piecewise, resistive, mq6, not "twopoint" — did you mean two_point\?/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('lpg', { calibration: { points: [] } })] }), [['sensors[0].calibration.type', /missing — one of identity/]]);
  });

  it('refuses a gas mix that adds up to more than all of it', () => {
    assertIssues(configDoc({ sensors: [sensor('gas', { calibration: { type: 'mq6', r0Ohms: 9000, gasMix: { propane: 0.7, butane: 0.7 } } })] }), [
      ['sensors[0].calibration.gasMix', /add up to more than 1/],
    ]);
  });

  it('lists the keys of the chosen driver for an unknown key', () => {
    assertIssues(configDoc({ sensors: [sensor('tank', { source: { ...SENSORS.tank.source, address: 0x48 } })] }), [
      ['sensors[0].source.address', /unknown key \(this block takes driver, port, baudRate, model, mode\)/],
    ]);
    assertIssues(configDoc({ sensors: [sensor('lpg', { intreval: '5s' })] }), [['sensors[0].intreval', /unknown key — did you mean `interval`\?/]]);
  });
});

describe('gateway config schema: across sections', () => {
  it('gives each GPIO line to one contact or output', () => {
    assertIssues(configDoc({ sensors: [sensor('leak')], outputs: { buzzer: { gpio: 17 }, ledRed: { headerPin: 11 } } }), [
      ['outputs.buzzer.gpio', /GPIO17 \(pin 11\) is already used by sensors\[0\] \(sink\)/],
      ['outputs.ledRed.headerPin', /GPIO17 \(pin 11\) is already used by sensors\[0\] \(sink\)/],
    ]);
  });

  it('keeps contacts and outputs off GPIO2/3 while an ADC is on the I2C bus (an error)', () => {
    assertIssues(configDoc({ sensors: [sensor('lpg'), sensor('leak', { source: { driver: 'contact', gpio: 3 } })] }), [
      ['sensors[1].source.gpio', /GPIO3 \(pin 5\) is the I2C bus that sensors\[0\] \(lpg\) uses/],
    ]);
    valid(configDoc({ sensors: [sensor('leak', { source: { driver: 'contact', gpio: 3 } })] }));
  });

  it('keeps them off GPIO14/15 while an ultrasonic sensor uses the header UART (an error)', () => {
    assertIssues(configDoc({ sensors: [sensor('tank')], outputs: { ledGreen: { gpio: 14 } } }), [
      ['outputs.ledGreen.gpio', /GPIO14 \(pin 8\) is the UART that sensors\[0\] \(roof-tank\) uses/],
    ]);
    const usb = sensor('tank', { source: { ...SENSORS.tank.source, port: '/dev/ttyUSB0' } });
    valid(configDoc({ sensors: [usb], outputs: { ledGreen: { gpio: 14 } } }));
  });

  it('reads each ADC input from one sensor only, counting the default bus', () => {
    const second = sensor('gas', { id: 'gas2', source: { driver: 'mq6', input: 'AIN1', bus: 1 } });
    assertIssues(configDoc({ sensors: [sensor('gas'), second] }), [
      ['sensors[1].source.input', /AIN1 of the ADS1115 at 0x48 on bus 1 is already read by sensors\[0\] \(kitchen-gas\)/],
    ]);
    valid(configDoc({ sensors: [sensor('gas'), sensor('gas', { id: 'gas2', source: { driver: 'mq6', input: 'AIN1', address: 0x49 } })] }));
    valid(configDoc({ sensors: [sensor('gas'), sensor('gas', { id: 'gas2', source: { driver: 'mq6', input: 'AIN1', bus: 3 } })] }));
  });

  it('uses a serial port for one sensor only', () => {
    assertIssues(configDoc({ sensors: [sensor('tank'), sensor('tank', { id: 'tank2' })] }), [
      ['sensors[1].source.port', /\/dev\/serial0 is already used by sensors\[0\] \(roof-tank\)/],
    ]);
  });

  it('needs MQTT on for a Wi-Fi node', () => {
    assertIssues(configDoc({ sensors: [sensor('wifi')], mqtt: { mode: 'off' } }), [['sensors[0].source.driver', /needs MQTT, but mqtt.mode is off/]]);
  });

  it('keeps the embedded broker and the API on different TCP ports', () => {
    assertIssues(configDoc({ mqtt: { websocketPort: 8470 } }), [['api.port', /port 8470 is already mqtt.websocketPort/]]);
    assertIssues(configDoc({ mqtt: { websocketPort: 1883 } }), [['mqtt.websocketPort', /port 1883 is already mqtt.port/]]);
    valid(configDoc({ mqtt: { mode: 'external', url: 'mqtt://192.168.1.10:8470' }, api: { port: 8470 } }));
  });

  it('does not read into a block that failed as a whole', () => {
    assertIssues(configDoc({ sensors: [sensor('leak', { source: 'contact' })] }), [['sensors[0].source', /must be a block of settings/]]);
    assertIssues(configDoc({ sensors: [sensor('wifi')], mqtt: 'off' }), [['mqtt', /must be a block of settings/]]);
  });

  it('still runs every cross-section check when other fields are wrong', () => {
    const doc = configDoc({
      store: { batchMaxRows: 12.5 },
      sensors: [sensor('leak', { debounce: 'x', source: { driver: 'contact', gpio: 17, activeLow: 'yes' } }), sensor('leak', { id: 'sink' })],
      outputs: { buzzer: { gpio: 17 } },
    });
    const issues = issuesOf(doc);
    for (const path of ['store.batchMaxRows', 'sensors[0].debounce', 'sensors[0].source.activeLow', 'sensors[1].id', 'outputs.buzzer.gpio']) {
      assert.ok(
        issues.some((i) => i.startsWith(`${path}: `)),
        `${path} missing from:\n${issues.join('\n')}`,
      );
    }
  });
});
