/**
 * The two cloud calls the CLI makes itself (the sync agent makes the rest):
 * trading a claim code for a credential, and a heartbeat that proves the
 * credential works. Failures become CliErrors that say what to do.
 */
import { SYNC_PATHS, type Heartbeat, type HeartbeatAck, type RegisterDeviceResponse } from '../../cloud-sync/protocol/index.js';
import { EXIT_UNAVAILABLE } from '../errors.js';
import { CliError } from './cli-io.js';

async function call<T>(cloudUrl: string, path: string, body: unknown, credential?: string): Promise<{ status: number; body: T }> {
  const url = `${cloudUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(credential !== undefined ? { authorization: `Bearer ${credential}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new CliError(`cannot reach the cloud at ${cloudUrl} (${cause})`, 'Check the URL, the network (ping, DNS) and that the Pi has internet access; then run the command again.', EXIT_UNAVAILABLE);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  return { status: response.status, body: parsed as T };
}

interface CloudErrorBody {
  readonly message?: string;
  readonly hint?: string;
}

export async function registerGateway(cloudUrl: string, request: { code: string; gatewayId: string; name?: string; version?: string }): Promise<RegisterDeviceResponse> {
  const res = await call<RegisterDeviceResponse & CloudErrorBody>(cloudUrl, SYNC_PATHS.register, request);
  if (res.status === 201 || res.status === 200) return res.body;
  const why = res.body.message ?? `HTTP ${res.status}`;
  if (res.status === 400 || res.status === 401 || res.status === 404 || res.status === 409 || res.status === 410) {
    throw new CliError(`the cloud refused the claim code: ${why}`, 'Claim codes are single-use and expire after 15 minutes: make a new one in the app (Add gateway) and run easygas provision again.', 1);
  }
  throw new CliError(`the cloud could not register this gateway: ${why}`, res.body.hint ?? 'Try again in a minute; if it persists, check the cloud’s status.', EXIT_UNAVAILABLE);
}

export async function sendHeartbeat(cloudUrl: string, credential: string, heartbeat: Heartbeat): Promise<HeartbeatAck> {
  const res = await call<HeartbeatAck & CloudErrorBody>(cloudUrl, SYNC_PATHS.heartbeat, heartbeat, credential);
  if (res.status === 200) return res.body;
  if (res.status === 401) {
    throw new CliError('the cloud does not accept this gateway’s credential', 'The gateway may have been removed in the app: provision it again with a new claim code (easygas provision --force).', 77);
  }
  throw new CliError(`the cloud refused the heartbeat: ${res.body.message ?? `HTTP ${res.status}`}`, res.body.hint ?? 'Try again later.', 1);
}
