/**
 * The `easygas` command line (commander). Every command has --help; read
 * commands have --json; errors go to stderr with a non-zero exit code.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SCENARIO_NAMES } from '../app/demo-scenarios.js';
import { LOG_LEVELS } from '../config/schema/sections.js';
import { packageInfo } from '../system/package-info.js';
import { runCloudCommand, DEFAULT_CLOUD_PORT } from './cloud-command.js';
import { runConfigCheck } from './config-check.js';
import { runConfigMigrate } from './config-migrate.js';
import { runGatewayCommand } from './gateway-command.js';
import { runMqttPasswd } from './mqtt-passwd.js';

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number, 0–65535 (0 picks a free one)');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export function buildProgram(): Command {
  const program = new Command('easygas')
    .description('EasyGas Edge: tank levels, gas and leak alarms on a Raspberry Pi, synced to the cloud')
    .version(packageInfo().version)
    .showHelpAfterError('(add --help for usage)');

  program
    .command('gateway')
    .description('run the gateway daemon: sample, calibrate, alarm, store (offline)')
    .option('-c, --config <file>', 'gateway config (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('-d, --data-dir <dir>', 'where gateway.db lives (default: $EASYGAS_DATA_DIR or gateway.dataDir)')
    .option('--simulate', 'run on the simulated home instead of real hardware (the example config by default)')
    .addOption(new Option('--scenario <name>', 'with --simulate: what goes wrong').choices([...SCENARIO_NAMES]))
    .option('--speed <n>', 'with --simulate: how much faster than real time (default 60)', positiveNumber)
    .addOption(new Option('--log-level <level>', 'override log.level').choices([...LOG_LEVELS]))
    .action(async (opts: { config?: string; dataDir?: string; simulate?: boolean; scenario?: string; speed?: number; logLevel?: (typeof LOG_LEVELS)[number] }) => {
      process.exitCode = await runGatewayCommand(opts);
    });

  const config = program.command('config').description('work with the gateway config');
  config
    .command('check')
    .description('validate the config: exit 0 when valid, 1 with every error when not')
    .option('-c, --config <file>', 'the config to check (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('--json', 'print { ok, file, errors, warnings }')
    .action(async (opts: { config?: string; json?: boolean }) => {
      process.exitCode = await runConfigCheck(opts, { stdout: process.stdout, stderr: process.stderr });
    });

  config
    .command('migrate')
    .description('rewrite an older config in the current format, keeping the old file as <file>.v<N>.bak')
    .option('-c, --config <file>', 'the config to migrate (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('--dry-run', 'print the migrated file instead of writing it')
    .action((opts: { config?: string; dryRun?: boolean }) => {
      process.exitCode = runConfigMigrate(opts, { stdout: process.stdout, stderr: process.stderr });
    });

  const mqtt = program.command('mqtt').description('the embedded MQTT broker (Home Assistant, Wi-Fi sensor nodes)');
  mqtt
    .command('passwd')
    .description('print a users: entry for gateway.yaml with a scrypt hash of a password (asked on the terminal, or the first line of stdin)')
    .argument('<user>', 'the MQTT user name')
    .option('--nodes <ids>', 'comma-separated Wi-Fi node ids this user publishes readings for')
    .action(async (user: string, opts: { nodes?: string }) => {
      process.exitCode = await runMqttPasswd(user, opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });

  program
    .command('cloud')
    .description('run the cloud API (accounts, gateways, ingest, queries, alert rules) until SIGTERM/SIGINT')
    .option('-p, --port <n>', `port (default: $EASYGAS_CLOUD_PORT or ${DEFAULT_CLOUD_PORT})`, portNumber)
    .option('--db <file|url>', 'a SQLite file or a postgres:// URL (default: $EASYGAS_CLOUD_DB or .data/cloud/cloud.db)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 to serve gateways on other machines)')
    .action(async (opts: { port?: number; db?: string; host?: string }) => {
      process.exitCode = await runCloudCommand(opts);
    });

  program
    .command('demo')
    .description('the whole system on simulated hardware (what `npm start` runs)')
    .addOption(new Option('--scenario <name>', 'what goes wrong').choices([...SCENARIO_NAMES]))
    .option('--speed <n>', 'how much faster than real time (default 60)', positiveNumber)
    .action(async (opts: { scenario?: string; speed?: number }) => {
      process.exitCode = await runGatewayCommand({ ...opts, simulate: true });
    });

  return program;
}
