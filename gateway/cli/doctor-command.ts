/**
 * `easygas doctor`: checks that this Pi can run the config — I2C enabled and each
 * ADC answering, the serial port present and free of the login console, group
 * membership, the GPIO chip base, disk space, clock sync, the broker port, and the
 * cloud credential — printing each problem with its exact fix; exit 1 if any fails.
 */
import { readApiAddress } from '../api/api-address-file.js';
import { loadConfig } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { exampleConfigPath } from '../system/package-info.js';
import { ApiClient } from './api-client.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import { runDoctorChecks, type CheckResult, type DoctorProbes } from './doctor-checks.js';
import { realProbes } from './doctor-probes.js';
import { locateGateway, type TargetOptions } from './gateway-locator.js';

export interface DoctorOptions extends TargetOptions {
  readonly json?: boolean;
}

const MARK: Readonly<Record<CheckResult['status'], string>> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

async function exampleConfig(env: NodeJS.ProcessEnv): Promise<GatewayConfig> {
  const loaded = await loadConfig({ path: exampleConfigPath(), env });
  if (!loaded.ok) throw new CliError('the example config does not load', 'Reinstall easygas.', 1);
  return loaded.config;
}

function sensorsByChip(config: GatewayConfig): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of config.sensors) {
    if (s.source.driver !== 'ads1115' && s.source.driver !== 'mq6') continue;
    const key = `${s.source.bus ?? config.hardware.i2cBus}:${s.source.address}`;
    if (!map.has(key)) map.set(key, s.id);
  }
  return map;
}

export async function doctorCommand(options: DoctorOptions, io: CliIo, env: NodeJS.ProcessEnv = process.env, probes?: DoctorProbes): Promise<number> {
  const located = await locateGateway(options, env);
  const config = located.config ?? (await exampleConfig(env));
  const notes: string[] = located.config === undefined ? ['no config found (--config, EASYGAS_CONFIG, /etc/easygas/gateway.yaml): checking the example config’s hardware'] : [];
  const address = readApiAddress(located.dataDir);
  const gateway = address === undefined ? undefined : new ApiClient({ url: address.url, ...(located.password !== undefined ? { password: located.password } : {}), timeoutMs: 5_000 });
  const checks = await runDoctorChecks(config, located.dataDir, probes ?? realProbes({ dataDir: located.dataDir, sensorsByChip: sensorsByChip(config), ...(gateway !== undefined ? { gateway } : {}) }));
  const failed = checks.filter((c) => c.status === 'fail').length;
  if (options.json === true) printJson(io, { ok: failed === 0, notes, checks });
  else {
    for (const note of notes) io.stdout.write(`note: ${note}\n`);
    for (const c of checks) {
      io.stdout.write(`${MARK[c.status]}  ${c.name}: ${c.detail}\n`);
      if (c.fix !== undefined && c.status !== 'pass') io.stdout.write(`      fix: ${c.fix}\n`);
    }
  }
  if (failed > 0) io.stderr.write(`easygas: ${failed} check(s) failed\n  Apply each fix above, then run easygas doctor again.\n`);
  return failed > 0 ? 1 : 0;
}
