/**
 * The gateway's cloud credential: `<dataDir>/cloud-credential.json`, mode 0600,
 * written atomically (tmp + fsync + rename) so a power cut leaves the old file or
 * the new one, never half of either. `easygas provision` writes it; the sync agent
 * reads it, and reads it again when it changes (a re-provision while running).
 *
 * Shape (a contract shared with the CLI — change it only with a new `version`):
 *   { "version": 1, "cloudUrl": "http://…", "gatewayId": "…", "credential": "…", "provisionedAt": <epoch ms> }
 */
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const CREDENTIAL_FILE = 'cloud-credential.json';

export interface CloudCredential {
  readonly version: 1;
  /** The cloud's base URL, e.g. https://cloud.example.com (no trailing path). */
  readonly cloudUrl: string;
  readonly gatewayId: string;
  /** Sent as `Authorization: Bearer <credential>`. A secret: never log it. */
  readonly credential: string;
  /** UTC epoch ms of the provisioning. */
  readonly provisionedAt: number;
}

export type CredentialRead =
  | { readonly ok: true; readonly credential: CloudCredential; readonly mtimeMs: number }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid'; readonly message: string };

export function credentialPath(dataDir: string): string {
  return join(dataDir, CREDENTIAL_FILE);
}

/** Reads and checks the file; never throws (a broken file is a status, not a crash). */
export function readCredentialFile(path: string): CredentialRead {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: false, reason: 'missing', message: `${path} does not exist: provision the gateway with: easygas provision --cloud URL --code CODE` };
    }
    return { ok: false, reason: 'invalid', message: `${path} cannot be read (${String(err)}): check its owner and mode (0600, the service user)` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid', message: `${path} is not JSON: provision again with: easygas provision --cloud URL --code CODE` };
  }
  const problem = credentialProblem(parsed);
  if (problem !== undefined) {
    return { ok: false, reason: 'invalid', message: `${path}: ${problem}; provision again with: easygas provision --cloud URL --code CODE` };
  }
  return { ok: true, credential: parsed as CloudCredential, mtimeMs };
}

/** Why a value is not a version 1 credential, or undefined when it is one. */
export function credentialProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'must be a JSON object';
  const v = value as Record<string, unknown>;
  if (v.version !== 1) return `version must be 1 (it is ${JSON.stringify(v.version)})`;
  if (typeof v.cloudUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(v.cloudUrl)) return 'cloudUrl must be an http(s) URL';
  if (typeof v.gatewayId !== 'string' || v.gatewayId.length === 0) return 'gatewayId must be a non-empty string';
  if (typeof v.credential !== 'string' || v.credential.length === 0) return 'credential must be a non-empty string';
  if (typeof v.provisionedAt !== 'number' || !Number.isFinite(v.provisionedAt)) return 'provisionedAt must be epoch milliseconds';
  return undefined;
}

/** Writes the file atomically with mode 0600 (the tmp file is created 0600, so the secret is never world-readable). */
export function writeCredentialFile(path: string, credential: CloudCredential): void {
  const problem = credentialProblem(credential);
  if (problem !== undefined) throw new Error(`refusing to write an invalid credential: ${problem}`);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(credential, null, 2)}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  // openSync's mode is masked by the umask and ignored for an existing tmp: make sure.
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  fsyncDirectory(path);
}

function fsyncDirectory(file: string): void {
  const dir = file.slice(0, Math.max(1, file.lastIndexOf('/')));
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}
