/**
 * `easygas config check [--config FILE] [--json]`: validates the config without
 * starting anything. Exit 0 with a one-line summary (and any warnings) when the file
 * is valid; exit 1 with every error on stderr when it is not. The lead wires this
 * into commander; it takes its writers so tests can read what it prints.
 */
import type { Env } from '../config/env-overrides.js';
import { formatIssue, type ConfigIssue } from '../config/issues.js';
import { loadConfig, resolveConfigPath } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { formatDuration } from '../config/schema/primitives.js';

export interface Writer {
  write(chunk: string): unknown;
}

export interface ConfigCheckIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

export interface ConfigCheckOptions {
  /** --config FILE; else EASYGAS_CONFIG; else /etc/easygas/gateway.yaml. */
  readonly config?: string;
  readonly json?: boolean;
  /** Default process.env (for EASYGAS_CONFIG and the overrides). */
  readonly env?: Env;
}

/** What --json prints: stable keys for scripts. */
export interface ConfigCheckReport {
  readonly ok: boolean;
  readonly file: string;
  readonly errors: readonly ConfigIssue[];
  readonly warnings: readonly ConfigIssue[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "4 sensors (lpg, roof-tank, …), MQTT embedded on 0.0.0.0:1883, cloud off, API on 127.0.0.1:8470". */
export function summarise(config: GatewayConfig): string {
  const sensors = config.sensors.length === 0 ? 'no sensors' : `${plural(config.sensors.length, 'sensor')} (${config.sensors.map((s) => s.id).join(', ')})`;
  const mqtt =
    config.mqtt.mode === 'embedded'
      ? `MQTT embedded on ${config.mqtt.host}:${config.mqtt.port}`
      : config.mqtt.mode === 'external'
        ? `MQTT via ${config.mqtt.url ?? '?'}`
        : 'MQTT off';
  const cloud = config.cloud.enabled === false ? 'cloud off' : 'cloud once provisioned';
  return `${sensors}, ${mqtt}, ${cloud}, API on ${config.api.host}:${config.api.port}, hush ${formatDuration(config.alarms.hush)}`;
}

export async function runConfigCheck(options: ConfigCheckOptions, io: ConfigCheckIo): Promise<number> {
  const env = options.env ?? process.env;
  const file = resolveConfigPath(options.config, env);
  const result = await loadConfig({ path: file, env });
  const errors = result.ok ? [] : result.errors;
  const warnings = result.warnings;

  if (options.json === true) {
    const report: ConfigCheckReport = { ok: result.ok, file, errors, warnings };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return result.ok ? 0 : 1;
  }

  for (const warning of warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  if (result.ok) {
    const fromEnv = result.source.envOverrides.map((o) => o.name);
    const overrides = fromEnv.length === 0 ? '' : `; from the environment: ${fromEnv.join(', ')}`;
    io.stdout.write(`${file} is valid: ${summarise(result.config)}${overrides}\n`);
    return 0;
  }
  io.stderr.write(`${file}: ${plural(errors.length, 'error')}\n`);
  for (const error of errors) io.stderr.write(`  ${formatIssue(error)}\n`);
  return 1;
}
