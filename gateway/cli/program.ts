/**
 * The `easygas` command line (commander). Every command has --help; read
 * commands have --json; errors go to stderr with a non-zero exit code.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_USAGE } from '../errors.js';
import { SCENARIO_NAMES } from '../app/demo-scenarios.js';
import { LOG_LEVELS } from '../config/schema/sections.js';
import { packageInfo } from '../system/package-info.js';
import { DEFAULT_CLOUD_PORT } from './cloud-command.js'; // light: it loads the cloud server only when run
import type { ProvisionOptions } from './provision-command.js';
import type { DoctorOptions } from './doctor-command.js';
import type { CalibrateOptions } from './calibrate-command.js';
import { processIo, runCommand, type CliIo } from './cli-io.js';
import { exitWhenDone } from './stop-on-signal.js';
import type { ReadOptions } from './read-commands.js';
import type { ReadingsOptions } from './readings-command.js';
import type { BackupOptions } from './backup-command.js';

// Each command's module is imported when that command runs, not up front: the
// daemon (`easygas gateway`) then never loads the CLI's client code, the cloud
// server or the doctor's probes, which keeps their heap and code off a Pi's RSS
// and keeps `easygas status` quick to start.
const commands = {
  cloud: () => import('./cloud-command.js'),
  cloudAdmin: () => import('./cloud-admin-command.js'),
  cloudSupplier: () => import('./cloud-supplier-command.js'),
  configCheck: () => import('./config-check.js'),
  configMigrate: () => import('./config-migrate.js'),
  demo: () => import('./demo-command.js'),
  gateway: () => import('./gateway-command.js'),
  mqttPasswd: () => import('./mqtt-passwd.js'),
  provision: () => import('./provision-command.js'),
  doctor: () => import('./doctor-command.js'),
  calibrate: () => import('./calibrate-command.js'),
  alarm: () => import('./alarm-commands.js'),
  read: () => import('./read-commands.js'),
  readings: () => import('./readings-command.js'),
  backup: () => import('./backup-command.js'),
  restore: () => import('./restore-command.js'),
};

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

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

function dayCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 365) throw new InvalidArgumentError('must be a whole number of days, 0–365');
  return n;
}

const CALIBRATE_HELP = `
Methods (chosen from the sensor's config):
  level sender (LPG dial, volts)  two or more points: --point empty --point full
                                  (empty = 0 %, full = the tank's maxFillFraction,
                                  80 % for LPG; or a dial percent: --point 37.5)
  ultrasonic (distance_mm)        one point, the water height now:
                                  --point empty, or --point 640 (mm, by dipstick)
  MQ-6 gas sniffer                --point clean-air (after its 24 h burn-in)

A point without "=RAW" is measured now: --samples live reads, --interval ms
apart, averaged; refused when they spread more than --tolerance (the level,
needle or heater is still moving). "=RAW" gives a value measured earlier with
--capture, so the points of one calibration can be taken at different times:
  easygas calibrate lpg --capture            # tank empty: prints the raw volts
  easygas calibrate lpg --point empty=1.812 --point full   # later, tank full
On a terminal without --point, it asks for each point. The result is shown
before and after, kept in <data-dir>/sensor-overrides.json (survives restarts)
and used at once. --reset returns to the config file's calibration.`;

/** --help and --version end with 0; any other commander error (unknown option, missing argument…) is EX_USAGE. */
function usageExit(err: CommanderError): never {
  throw err.exitCode === 0 ? err : new CommanderError(EXIT_USAGE, err.code, err.message);
}

/** --config and --data-dir, as the daemon takes them: the CLI finds the gateway's API through them. */
function targeted(command: Command, json = true): Command {
  command
    .option('-c, --config <file>', 'the gateway config (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('-d, --data-dir <dir>', 'the gateway data dir holding api.json (default: $EASYGAS_DATA_DIR or gateway.dataDir)');
  if (json) command.option('--json', 'print JSON instead of text');
  return command;
}

export function buildProgram(io: CliIo = processIo(), env: NodeJS.ProcessEnv = process.env): Command {
  const run = async (body: () => Promise<number>): Promise<void> => {
    process.exitCode = await runCommand(io, body);
  };
  const program = new Command('easygas')
    .description('EasyGas Edge: tank levels, gas and leak alarms on a Raspberry Pi, synced to the cloud')
    // Set before the commands are added: each subcommand inherits it.
    .exitOverride(usageExit)
    .version(packageInfo().version)
    .showHelpAfterError('(add --help for usage)')
    // Each command's options are its own, so `cloud --db …` and `cloud admin create --db …` do not collide.
    .enablePositionalOptions();

  program
    .command('gateway')
    .description('run the gateway daemon: sample, calibrate, alarm, store (offline)')
    .option('-c, --config <file>', 'gateway config (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('-d, --data-dir <dir>', 'where gateway.db lives (default: $EASYGAS_DATA_DIR or gateway.dataDir)')
    .option('--simulate', 'run on the simulated home instead of real hardware (the example config by default)')
    .addOption(new Option('--scenario <name>', 'with --simulate: what goes wrong').choices([...SCENARIO_NAMES]))
    .option('--speed <n>', 'with --simulate: how much faster than real time (default 60)', positiveNumber)
    .addOption(new Option('--log-level <level>', 'override log.level').choices([...LOG_LEVELS]))
    .option('--api-port <port>', 'override api.port (0 = any free port; the CLI finds it in <data-dir>/api.json)', portNumber)
    .action(async (opts: { config?: string; dataDir?: string; simulate?: boolean; scenario?: string; speed?: number; logLevel?: (typeof LOG_LEVELS)[number]; apiPort?: number }) => {
      exitWhenDone(await (await commands.gateway()).runGatewayCommand(opts));
    });

  const config = program.command('config').description('work with the gateway config');
  config
    .command('check')
    .description('validate the config: exit 0 when valid, 1 with every error when not')
    .option('-c, --config <file>', 'the config to check (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('--json', 'print { ok, file, errors, warnings }')
    .action(async (opts: { config?: string; json?: boolean }) => {
      process.exitCode = await (await commands.configCheck()).runConfigCheck(opts, { stdout: process.stdout, stderr: process.stderr });
    });

  config
    .command('migrate')
    .description('rewrite an older config in the current format, keeping the old file as <file>.v<N>.bak')
    .option('-c, --config <file>', 'the config to migrate (default: $EASYGAS_CONFIG or /etc/easygas/gateway.yaml)')
    .option('--dry-run', 'print the migrated file instead of writing it')
    .action(async (opts: { config?: string; dryRun?: boolean }) => {
      process.exitCode = (await commands.configMigrate()).runConfigMigrate(opts, { stdout: process.stdout, stderr: process.stderr });
    });

  const mqtt = program.command('mqtt').description('the embedded MQTT broker (Home Assistant, Wi-Fi sensor nodes)');
  mqtt
    .command('passwd')
    .description('print a users: entry for gateway.yaml with a scrypt hash of a password (asked on the terminal, or the first line of stdin)')
    .argument('<user>', 'the MQTT user name')
    .option('--nodes <ids>', 'comma-separated Wi-Fi node ids this user publishes readings for')
    .action(async (user: string, opts: { nodes?: string }) => {
      process.exitCode = await (await commands.mqttPasswd()).runMqttPasswd(user, opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });

  targeted(program.command('status').description('the running gateway: sensors (value, quality, health), active alarms, sync backlog and last sync')).action(
    (opts: ReadOptions) => run(async () => (await commands.read()).statusCommand(opts, io, env)),
  );
  targeted(program.command('sensors').description('every sensor with its latest reading and health')).action((opts: ReadOptions) =>
    run(async () => (await commands.read()).sensorsCommand(opts, io, env)),
  );
  targeted(
    program
      .command('read')
      .description('one live read of a sensor, raw and calibrated (exit 1 when the sensor reports a fault)')
      .argument('<sensor>', 'the sensor id (see easygas sensors)'),
  ).action((sensor: string, opts: ReadOptions) => run(async () => (await commands.read()).readCommand(sensor, opts, io, env)));

  const alarm = program.command('alarm').description('the buzzer and LEDs');
  targeted(alarm.command('test').description('sound the buzzer and light the LEDs for alarms.testDuration')).action((opts: ReadOptions) =>
    run(async () => (await commands.alarm()).alarmTestCommand(opts, io, env)),
  );
  targeted(
    alarm.command('silence').description('hush what sounds for alarms.hush (refused above a severe gas level; exit 1 then)'),
  ).action((opts: ReadOptions) => run(async () => (await commands.alarm()).alarmSilenceCommand(opts, io, env)));

  const sync = program.command('sync').description('upload to the EasyGas cloud');
  targeted(sync.command('status').description('sync state, records waiting, last sync, last error')).action((opts: ReadOptions) =>
    run(async () => (await commands.read()).syncStatusCommand(opts, io, env)),
  );
  targeted(sync.command('now').description('upload what waits now (exit 1 unless it ends idle; 409 when sync is disabled)')).action(
    (opts: ReadOptions) => run(async () => (await commands.read()).syncNowCommand(opts, io, env)),
  );

  targeted(
    program
      .command('readings')
      .description('stored readings of a sensor, oldest first')
      .argument('<sensor>', 'the sensor id')
      .option('--since <time>', 'from: a duration back (30m, 12h, 7d), an ISO date or epoch ms', '24h')
      .option('--until <time>', 'to (exclusive), same forms as --since')
      .option('--limit <n>', 'at most this many rows', positiveNumber)
      .option('--csv', 'print CSV (one header line, then one row per reading)'),
  ).action((sensor: string, opts: ReadingsOptions) => run(async () => (await commands.readings()).readingsCommand(sensor, opts, io, env)));

  targeted(
    program
      .command('backup')
      .description("a consistent copy of the running gateway's gateway.db, written by the gateway while it keeps sampling and alarming")
      .argument('<file>', 'the backup file (its folder must be writable by the gateway’s service user)')
      .option('--force', 'replace the file if it exists'),
  ).action((file: string, opts: BackupOptions) => run(async () => (await commands.backup()).backupCommand(file, opts, io, env)));

  targeted(
    program
      .command('restore')
      .description('put a backup in place of the stopped gateway’s gateway.db (the current one is kept as gateway.db.before-restore)')
      .argument('<file>', 'a file written by easygas backup'),
  ).action((file: string, opts: ReadOptions) => run(async () => (await commands.restore()).restoreCommand(file, opts, io, env)));

  targeted(
    program
      .command('calibrate')
      .description('guided calibration of a level sender, an ultrasonic level sensor or an MQ-6, from live averaged samples')
      .argument('<sensor>', 'the sensor id')
      .option('--point <spec>', 'a calibration point (repeatable): empty, full, a dial %, a water height in mm, clean-air; add =RAW to skip sampling', collect)
      .option('--capture', 'only measure: print the averaged raw value (for a later --point LABEL=RAW)')
      .option('--reset', "drop the on-site calibration: back to the config file's")
      .option('--dry-run', 'show the result, save nothing')
      .option('-y, --yes', 'save without asking on a terminal')
      .option('--samples <n>', 'live reads averaged per point (default 10)', wholeNumber)
      .option('--interval <ms>', 'pause between live reads (default 500)', wholeNumber)
      .option('--tolerance <x>', 'largest accepted spread of the samples, in the raw unit (default 20 mV or 10 mm, or 1 %)', positiveNumber)
      .addHelpText('after', CALIBRATE_HELP),
  ).action((sensor: string, opts: CalibrateOptions) => run(async () => (await commands.calibrate()).calibrateCommand(sensor, opts, io, env)));

  targeted(
    program
      .command('provision')
      .description('claim this gateway in the EasyGas cloud with a code from the app; stores <data-dir>/cloud-credential.json and proves it with a heartbeat')
      .option('--cloud <url>', 'the cloud API (default: cloud.url from the config)')
      .option('--code <code>', 'the claim code the app shows (e.g. 7KQ4-M2XD; valid 15 minutes)')
      .option('--name <name>', 'what the app calls this gateway (default: gateway.name)')
      .option('--force', 'claim again even if a credential is stored'),
  ).action((opts: ProvisionOptions) => run(async () => (await commands.provision()).provisionCommand(opts, io, env)));

  targeted(
    program
      .command('doctor')
      .description('check this Pi for the config: I2C and each ADC, serial port and login console, groups, GPIO chip, disk, clock, broker port, cloud credential (exit 1 if any fails)'),
  ).action((opts: DoctorOptions) => run(async () => (await commands.doctor()).doctorCommand(opts, io, env)));

  const cloud = program
    .command('cloud')
    .description('run the cloud API (accounts, gateways, ingest, queries, alert rules) until SIGTERM/SIGINT')
    .option('-p, --port <n>', `port (default: $EASYGAS_CLOUD_PORT or ${DEFAULT_CLOUD_PORT})`, portNumber)
    .option('--db <file|url>', 'a SQLite file or a postgres:// URL (default: $EASYGAS_CLOUD_DB or .data/cloud/cloud.db)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 to serve gateways on other machines)')
    .option('--raw-retention <duration>', 'delete raw readings older than this, keeping their 5-minute and hourly rollups: 365d (default), 90d…, or off ($EASYGAS_CLOUD_RAW_RETENTION)')
    .option('--pg-pool <n>', 'PostgreSQL connections for writes and short reads (default 10; $EASYGAS_CLOUD_PG_POOL)', positiveNumber)
    .option('--pg-read-pool <n>', 'PostgreSQL connections for history and analytics (default 3; $EASYGAS_CLOUD_PG_READ_POOL)', positiveNumber)
    .option('--read-timeout <duration>', 'PostgreSQL: cancel a history or analytics query after this, answering 503 (default 15s; $EASYGAS_CLOUD_READ_TIMEOUT)')
    .action(async (opts: { port?: number; db?: string; host?: string; rawRetention?: string; pgPool?: number; pgReadPool?: number; readTimeout?: string }) => {
      process.exitCode = await (await commands.cloud()).runCloudCommand(opts);
    });
  cloud.enablePositionalOptions();
  cloud
    .command('admin')
    .description("the cloud's operators")
    .command('create')
    .description('create an admin account (registration never can): asks for the password twice, or reads it from the first line of stdin')
    .requiredOption('--email <address>', "the admin's email (the sign-in name)")
    .option('--name <name>', 'the name shown (default Administrator)')
    .option('--db <file|url>', 'a SQLite file or a postgres:// URL (default: $EASYGAS_CLOUD_DB or .data/cloud/cloud.db)')
    .action(async (opts: { email: string; name?: string; db?: string }) => {
      process.exitCode = await (await commands.cloudAdmin()).runCloudAdminCreate(opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });
  cloud
    .command('supplier')
    .description('supplier accounts and profiles')
    .command('create')
    .description('create a supplier account with its service areas and price tiers: asks for the password twice, or reads it from the first line of stdin')
    .requiredOption('--email <address>', "the supplier's sign-in email")
    .requiredOption('--company <name>', 'the company name customers see')
    .requiredOption('--postal-codes <list>', 'the postal codes served, comma-separated ("BA1 1AA,BA2 2BB")')
    .requiredOption('--tiers <product=tiers>', 'price tiers of one product, repeatable: lpg=100-499:0.9000,500-:0.8523 (litres MIN-MAX, price per litre)', (value: string, all: string[] = []) => [...all, value])
    .option('--currency <code>', 'ISO 4217 (default EUR)')
    .option('--lead-time-days <n>', 'days from order to delivery (default 2)', (value: string) => Number(value))
    .option('--name <name>', 'the account holder shown (default: the company)')
    .option('--db <file|url>', 'a SQLite file or a postgres:// URL (default: $EASYGAS_CLOUD_DB or .data/cloud/cloud.db)')
    .action(async (opts: { email: string; company: string; postalCodes: string; tiers: string[]; currency?: string; leadTimeDays?: number; name?: string; db?: string }) => {
      process.exitCode = await (await commands.cloudSupplier()).runCloudSupplierCreate(opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });

  program
    .command('demo')
    .description('the whole system on simulated hardware, what `npm start` runs: the cloud API (SQLite in .data/cloud), the simulated gateway provisioned to it and syncing, its MQTT broker and status page')
    .addOption(new Option('--scenario <name>', 'what goes wrong').choices([...SCENARIO_NAMES]))
    .option('--speed <n>', 'how much faster than real time (default 60)', positiveNumber)
    .option('--cloud-port <n>', `the cloud API's port (default ${DEFAULT_CLOUD_PORT}; a free one if taken)`, portNumber)
    .option('--history-days <n>', 'on the first start, simulate this many past days for the dashboard first (default 30; 0 for none)', dayCount)
    .action(async (opts: { scenario?: string; speed?: number; cloudPort?: number; historyDays?: number }) => {
      exitWhenDone(await (await commands.demo()).runDemoCommand(opts));
    });

  return program;
}
