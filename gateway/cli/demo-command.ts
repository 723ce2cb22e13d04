/**
 * `easygas demo` (what `npm start` runs): the cloud API on a SQLite file in .data/cloud,
 * the simulated gateway beside it (embedded broker, control API, status page), the
 * gateway provisioned to that cloud without anyone typing a claim code, and cloud
 * sync on, so readings flow Pi → cloud as they would in a home. Prints the URLs.
 * Everything lives under .data/ and survives restarts; a second start reuses the
 * gateway's credential while the cloud still knows it. Without SMTP settings the
 * cloud's emails go to a local transport that prints them, and the demo account's
 * own address is verified, so an alarm shows as the email it would be.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { credentialPath, readCredentialFile, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { SYNC_PATHS } from '../../cloud-sync/protocol/http.js';
import { packageInfo } from '../system/package-info.js';
import { resolveGatewayId } from '../app/gateway-identity.js';
import { DEFAULT_CLOUD_PORT } from './cloud-command.js';
import { runGatewayCommand, type GatewayCommandOptions } from './gateway-command.js';

/** The dashboard's charts, usage and days-to-empty mean something on the first visit. */
export const DEMO_HISTORY_DAYS = 30;

export const DEMO_ACCOUNT = { email: 'demo@easygas.local', password: 'easygas-demo-password', name: 'Demo household' } as const;

export interface DemoOptions {
  readonly scenario?: string;
  readonly speed?: number;
  /** Default .data (relative to the working directory). */
  readonly dataRoot?: string;
  readonly cloudPort?: number;
  /** Past days simulated on the first start (default 30). */
  readonly historyDays?: number;
}

interface InjectableApp {
  inject(request: { method: 'GET'; url: string; headers: Record<string, string> }): Promise<{ statusCode: number }>;
}

/** Whether the cloud still accepts this credential (its database may have been deleted since). */
async function credentialAccepted(app: InjectableApp, credential: string): Promise<boolean> {
  const answer = await app.inject({ method: 'GET', url: SYNC_PATHS.config, headers: { authorization: `Bearer ${credential}` } });
  return answer.statusCode < 400;
}

export async function runDemoCommand(options: DemoOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { runCloud, CloudStartError } = await import('../../cloud-sync/server/main.js');
  const { ensureDemoEmailAddress, provisionDemoGateway } = await import('../../cloud-sync/server/demo-provisioning.js');
  const root = resolve(options.dataRoot ?? '.data');
  const cloudDir = join(root, 'cloud');
  const dataDir = join(root, 'gateway');
  mkdirSync(cloudDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });

  const lines: string[] = [];
  // The cloud's request log would drown the gateway's: warnings and errors only.
  const logger = pino({ level: 'warn', base: { component: 'cloud' }, timestamp: pino.stdTimeFunctions.isoTime });
  const printEmail = (text: string) => process.stdout.write(text);
  const start = (port: number) => runCloud({ port, db: join(cloudDir, 'cloud.db'), logger, printEmail, print: (line) => lines.push(line) });
  let cloud: Awaited<ReturnType<typeof runCloud>>;
  try {
    cloud = await start(options.cloudPort ?? DEFAULT_CLOUD_PORT).catch((err: unknown) => {
      // Another easygas (or anything) on the usual port: any free one will do for a demo.
      if (err instanceof CloudStartError && /in use/.test(err.message)) return start(0);
      throw err;
    });
  } catch (err) {
    const hint = err instanceof CloudStartError ? `\n  ${err.hint}` : '';
    process.stderr.write(`easygas demo: the cloud did not start: ${(err as Error).message}${hint}\n`);
    return 1;
  }

  try {
    const path = credentialPath(dataDir);
    const held = readCredentialFile(path);
    if (held.ok && (await credentialAccepted(cloud.app, held.credential.credential))) {
      // Same cloud database, maybe on another port this time.
      if (held.credential.cloudUrl !== cloud.url) writeCredentialFile(path, { ...held.credential, cloudUrl: cloud.url });
    } else {
      // The cloud adopts the simulated gateway's own id, as `easygas provision` does.
      const gatewayId = resolveGatewayId(undefined, dataDir);
      const gateway = await provisionDemoGateway(cloud.app, DEMO_ACCOUNT, { name: 'Demo home', version: packageInfo().version, gatewayId });
      writeCredentialFile(path, { version: 1, cloudUrl: cloud.url, gatewayId: gateway.gatewayId, credential: gateway.credential, provisionedAt: Date.now() });
    }
    await ensureDemoEmailAddress(cloud.app, DEMO_ACCOUNT.email);
    for (const line of lines) process.stdout.write(`${line}\n`);
    if (env.EASYGAS_SMTP_HOST === undefined && env.EASYGAS_SMTP_URL === undefined && env.EASYGAS_NOTIFY_CONFIG === undefined) {
      process.stdout.write(`Emails the cloud sends (to ${DEMO_ACCOUNT.email}) are printed here: no SMTP relay is set (EASYGAS_SMTP_HOST)\n`);
    }
    process.stdout.write(
      cloud.dashboard === undefined
        ? `Cloud account of the demo household: ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password} (POST ${cloud.url}/api/auth/login)\n`
        : `Open the dashboard at ${cloud.dashboard} and sign in as ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}\n`,
    );
    const gatewayOptions: GatewayCommandOptions = {
      simulate: true,
      dataDir,
      historyDays: options.historyDays ?? DEMO_HISTORY_DAYS,
      ...(options.scenario !== undefined && { scenario: options.scenario }),
      ...(options.speed !== undefined && { speed: options.speed }),
    };
    // Provisioned above: the gateway syncs to the URL in its credential file, as on a Pi.
    return await runGatewayCommand(gatewayOptions, env);
  } finally {
    await cloud.close();
  }
}
