/**
 * Finds the running gateway the way the daemon finds its data: --config FILE (or
 * EASYGAS_CONFIG, else /etc/easygas/gateway.yaml when it exists), --data-dir DIR
 * (or EASYGAS_DATA_DIR, else the config's gateway.dataDir), then the API address
 * the daemon wrote in <dataDir>/api.json. The API password comes from the config
 * (api.password, or EASYGAS_API_PASSWORD through the usual override).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { apiAddressPath, readApiAddress, type ApiAddress } from '../api/api-address-file.js';
import { formatIssue } from '../config/issues.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from '../errors.js';
import { CliError } from './cli-io.js';

export interface TargetOptions {
  readonly config?: string;
  readonly dataDir?: string;
}

export interface LocatedGateway {
  readonly dataDir: string;
  readonly config?: GatewayConfig;
  readonly configPath?: string;
  readonly password?: string;
}

/** Where `easygas gateway --simulate` keeps its data when not told otherwise. */
export const SIMULATE_DATA_DIR = '.data/gateway';

export async function locateGateway(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Promise<LocatedGateway> {
  const explicit = options.config ?? (env.EASYGAS_CONFIG !== undefined && env.EASYGAS_CONFIG !== '' ? env.EASYGAS_CONFIG : undefined);
  const configPath = explicit ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
  let config: GatewayConfig | undefined;
  if (configPath !== undefined) {
    const loaded = await loadConfig({ path: configPath, env });
    if (!loaded.ok) {
      const issues = loaded.errors.map((i) => `    ${formatIssue(i)}`).join('\n');
      throw new CliError(`the config ${configPath} is not valid:\n${issues}`, 'Fix it (easygas config check lists every problem), or point to the right one with --config FILE.', EXIT_CONFIG);
    }
    config = loaded.config;
  }
  const envDir = env.EASYGAS_DATA_DIR !== undefined && env.EASYGAS_DATA_DIR !== '' ? env.EASYGAS_DATA_DIR : undefined;
  let dataDir = options.dataDir ?? envDir ?? config?.gateway.dataDir;
  // No config and no directory named: a `--simulate` daemon started from here.
  if (dataDir === undefined) dataDir = existsSync(apiAddressPath(SIMULATE_DATA_DIR)) ? SIMULATE_DATA_DIR : '/var/lib/easygas';
  const password = config?.api.password ?? (env.EASYGAS_API_PASSWORD !== undefined && env.EASYGAS_API_PASSWORD !== '' ? env.EASYGAS_API_PASSWORD : undefined);
  return {
    dataDir: resolve(dataDir),
    ...(config !== undefined ? { config } : {}),
    ...(configPath !== undefined ? { configPath } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/**
 * The daemon's address when one runs: api.json exists and its process is alive (a
 * daemon killed with -9 leaves the file behind). Undefined when none runs.
 */
export function runningDaemon(located: LocatedGateway): ApiAddress | undefined {
  const address = readApiAddress(located.dataDir);
  if (address === undefined) return undefined;
  try {
    process.kill(address.pid, 0);
    return address;
  } catch (err) {
    // EPERM: alive, but another user's (the service user's) process.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? address : undefined;
  }
}

/** The running daemon's API address, or an error that says how to start or find it. */
export function apiAddressOf(located: LocatedGateway): ApiAddress {
  const address = readApiAddress(located.dataDir);
  if (address === undefined) {
    throw new CliError(
      `no running gateway found: ${apiAddressPath(located.dataDir)} does not exist`,
      'Start it (sudo systemctl start easygas-gateway, or easygas gateway --simulate), or name its data with --data-dir DIR / --config FILE (or EASYGAS_DATA_DIR).',
      EXIT_UNAVAILABLE,
    );
  }
  return address;
}
