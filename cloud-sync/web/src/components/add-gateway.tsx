/**
 * "Add a gateway": a one-time claim code, the exact command to run on the Pi, a
 * countdown to the code's expiry, and the new gateway appearing when it registers.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import type { ClaimCode, Device } from '../api/types.js';
import { useApp } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { countdown, provisionCommand } from '../logic/provisioning.js';
import { CopyButton, Dialog, FailureNotice } from './ui.js';
import { asFailure } from './use-action.js';

export function AddGatewayDialog(props: { open: boolean; onClose: () => void }): JSX.Element {
  return (
    <Dialog open={props.open} onClose={props.onClose} labelledBy="add-title">
      <AddGateway onClose={props.onClose} />
    </Dialog>
  );
}

function AddGateway(props: { onClose: () => void }): JSX.Element {
  const app = useApp();
  const devices = useStore(app.data.devices);
  const [claim, setClaim] = useState<ClaimCode | undefined>();
  const [known, setKnown] = useState<ReadonlySet<string> | undefined>();
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const now = useNow(1_000, app.now);

  const create = async () => {
    setFailure(undefined);
    try {
      setKnown(new Set((devices.data ?? (await app.api.devices())).map((d) => d.id)));
      setClaim(await app.api.claimCode());
    } catch (error) {
      setFailure(asFailure(error));
    }
  };
  useEffect(() => void create(), []);
  const left = claim === undefined ? undefined : countdown(claim.expiresAt, now);
  const added: Device | undefined = known === undefined ? undefined : devices.data?.find((d) => !known.has(d.id));
  // While waiting, look for the new gateway every few seconds.
  useEffect(() => {
    if (claim === undefined || added !== undefined || left === undefined) return;
    const timer = setInterval(() => void app.data.devices.refresh(), 3_000);
    return () => clearInterval(timer);
  }, [claim, added, left === undefined]);
  const command = claim === undefined ? '' : provisionCommand(app.origin, claim.code);

  return (
    <>
      <h2 id="add-title">Add a gateway</h2>
      {failure !== undefined && <FailureNotice failure={failure} retry={() => void create()} />}
      {added !== undefined ? (
        <div role="status" data-testid="gateway-added">
          <p class="tile-state">✓ {added.name} is connected</p>
          <p>Its sensors appear on the home page within a minute of its first readings.</p>
        </div>
      ) : claim === undefined ? (
        failure === undefined && <p role="status">Making a code…</p>
      ) : left === undefined ? (
        <div>
          <p>The code has expired: codes work for 15 minutes.</p>
          <button type="button" class="primary spaced" onClick={() => void create()}>
            Make a new code
          </button>
        </div>
      ) : (
        <div>
          <p>Your code, valid once:</p>
          <p class="claim" data-testid="claim-code">
            {claim.code}
          </p>
          <p class="small muted" role="timer" aria-live="off">
            Expires in {left} (at {app.formats.time(claim.expiresAt)})
          </p>
          <p class="spaced">On the Raspberry Pi, run:</p>
          <pre class="code" data-testid="provision-command">
            {command}
          </pre>
          <div class="actions spaced">
            <CopyButton text={command} label="Copy the command" />
          </div>
          <p class="small muted spaced">
            It saves the gateway’s credential for its service user. If the config still has <span class="mono">cloud.enabled: false</span>, set it to true with{' '}
            <span class="mono">cloud.url: {app.origin}</span> and restart the gateway.
          </p>
          <p class="spaced" role="status">
            Waiting for the gateway to register…
          </p>
        </div>
      )}
      <div class="actions">
        <button type="button" class={added !== undefined ? 'primary' : ''} onClick={props.onClose}>
          {added !== undefined ? 'Done' : 'Close'}
        </button>
      </div>
    </>
  );
}
