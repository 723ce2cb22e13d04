/**
 * `easygas provision --cloud URL --code CODE`: claims this gateway in the cloud
 * with a code from the app, stores the credential in <dataDir>/cloud-credential.json
 * (0600, atomic), and proves the round trip with a heartbeat signed by the new
 * credential. An existing credential is kept unless --force.
 */
import { mkdirSync } from 'node:fs';
import { uptime } from 'node:os';
import { credentialPath, readCredentialFile, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { formatClaimCode, normalizeClaimCode } from '../../cloud-sync/protocol/index.js';
import { clockSyncProbe } from '../system/clock-sync.js';
import { packageInfo } from '../system/package-info.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import { registerGateway, sendHeartbeat } from './cloud-calls.js';
import { locateGateway, type TargetOptions } from './gateway-locator.js';
import { resolveGatewayId } from '../app/gateway-identity.js';

export interface ProvisionOptions extends TargetOptions {
  readonly cloud?: string;
  readonly code?: string;
  readonly name?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export async function provisionCommand(options: ProvisionOptions, io: CliIo, env?: NodeJS.ProcessEnv, now: () => number = Date.now): Promise<number> {
  const located = await locateGateway(options, env);
  const cloudUrl = options.cloud ?? located.config?.cloud.url;
  if (cloudUrl === undefined) throw new CliError('no cloud URL', 'Give it with --cloud https://… (your provider tells you), or set cloud.url in the config.', 64);
  if (!/^https?:\/\//.test(cloudUrl)) throw new CliError(`--cloud ${cloudUrl} is not an http(s) URL`, 'Use the full address, e.g. https://cloud.easygas.example.', 64);
  if (options.code === undefined) throw new CliError('no claim code', 'In the app, choose Add gateway: it shows a code like 7KQ4-M2XD; pass it with --code.', 64);
  const code = normalizeClaimCode(options.code);
  if (code === undefined) throw new CliError(`"${options.code}" is not a claim code`, 'A claim code has 8 letters and digits, shown like 7KQ4-M2XD; copy it again from the app.', 64);
  const stored = readCredentialFile(credentialPath(located.dataDir));
  const existing = stored.ok ? stored.credential : undefined;
  if (existing !== undefined && options.force !== true) {
    throw new CliError(
      `this gateway is already provisioned as ${existing.gatewayId} on ${existing.cloudUrl}`,
      'Keep it (nothing to do), or claim it again with --force (the old credential stops being used here).',
      1,
    );
  }

  const { version } = packageInfo();
  const name = options.name ?? located.config?.gateway.name;
  // One id everywhere: the cloud adopts the gateway's own (its MQTT topics and status show it).
  const gatewayId = resolveGatewayId(located.config?.gateway.id, located.dataDir);
  const registered = await registerGateway(cloudUrl, { code, gatewayId, version, ...(name !== undefined ? { name } : {}) });
  mkdirSync(located.dataDir, { recursive: true, mode: 0o750 }); // provisioning may come before the first start
  writeCredentialFile(credentialPath(located.dataDir), { version: 1, cloudUrl, gatewayId: registered.gatewayId, credential: registered.credential, provisionedAt: now() });
  // The round trip: the new credential must open the gateway's own door.
  const ack = await sendHeartbeat(cloudUrl, registered.credential, {
    version,
    uptimeSeconds: Math.round(uptime()),
    clock: { synced: clockSyncProbe({ now })() },
    backlog: { records: 0 },
    sensors: [],
  });
  const result = { gatewayId: registered.gatewayId, cloudUrl, credentialFile: credentialPath(located.dataDir), claimCode: formatClaimCode(code), heartbeat: ack };
  if (options.json === true) printJson(io, result);
  else {
    io.stdout.write(`Provisioned: gateway ${registered.gatewayId} on ${cloudUrl}; the cloud answered its first heartbeat.\n`);
    io.stdout.write(`Credential saved in ${result.credentialFile} (readable by the service user only).\n`);
    if (registered.gatewayId !== gatewayId) io.stdout.write(`The cloud knows this gateway as ${registered.gatewayId}: another gateway there already has its id ${gatewayId}.\n`);
    if (located.config?.cloud.enabled === false) io.stdout.write('Nothing is uploaded while the config says cloud.enabled: false: remove that line and restart the gateway.\n');
    else io.stdout.write(`The gateway uploads to ${cloudUrl} within seconds (no restart needed; see easygas sync status).\n`);
  }
  return 0;
}
