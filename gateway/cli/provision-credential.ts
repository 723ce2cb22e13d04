/**
 * `<dataDir>/cloud-credential.json`: the gateway's cloud identity, shared with the
 * sync agent (cloud-sync/client reads it). Format version 1:
 *   { version: 1, cloudUrl, gatewayId, credential, provisionedAt }
 * Mode 0600 (the credential is a password), written atomically (temp file, fsync,
 * rename) so a power cut leaves the old file or the new one, never half.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const CREDENTIAL_FILE = 'cloud-credential.json';

export interface CloudCredential {
  readonly version: 1;
  readonly cloudUrl: string;
  readonly gatewayId: string;
  readonly credential: string;
  /** UTC epoch ms. */
  readonly provisionedAt: number;
}

export function credentialPath(dataDir: string): string {
  return join(dataDir, CREDENTIAL_FILE);
}

export function writeCloudCredential(dataDir: string, credential: CloudCredential): void {
  const path = credentialPath(dataDir);
  const tmp = `${path}.tmp`;
  mkdirSync(dataDir, { recursive: true, mode: 0o750 }); // provisioning may come before the first start
  rmSync(tmp, { force: true }); // a leftover temp file could carry a wider mode
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(credential, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** The stored credential, or undefined when there is none or it is not a version 1 file. */
export function readCloudCredential(dataDir: string): CloudCredential | undefined {
  try {
    const parsed = JSON.parse(readFileSync(credentialPath(dataDir), 'utf8')) as Partial<CloudCredential>;
    if (parsed.version !== 1 || typeof parsed.gatewayId !== 'string' || typeof parsed.credential !== 'string' || typeof parsed.cloudUrl !== 'string') return undefined;
    return parsed as CloudCredential;
  } catch {
    return undefined;
  }
}
