/** Gateways: list, add, rename, rotate or revoke the credential (the new one shown once), delete (saying what is lost). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Credential, Device } from '../api/types.js';
import { AddGatewayDialog } from '../components/add-gateway.js';
import { BacklogText, presencePill } from '../components/gateway-summary.js';
import { ConfirmDialog, CopyButton, Dialog, EmptyState, FailureNotice, Loading, Pill } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { useApp, usePageName } from '../context.js';
import { useStore, useStores } from '../data/hooks.js';

type Pending = { kind: 'rotate' | 'revoke' | 'delete'; device: Device };

export function GatewaysPage(): JSX.Element {
  usePageName('Gateways');
  const app = useApp();
  const { data, formats } = app;
  const devices = useStore(data.devices);
  const list = devices.data ?? [];
  const statuses = useStores(list.map((d) => data.status.get(d.id)));
  const [adding, setAdding] = useState(() => new URLSearchParams(location.search).get('add') === '1');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | undefined>();
  const [pending, setPending] = useState<Pending | undefined>();
  const [credential, setCredential] = useState<Credential | undefined>();
  const action = useAction();
  const busy = action.busy;
  const act = (run: () => Promise<unknown>) =>
    action.run(async () => {
      await run();
      await data.devices.refresh();
      app.refreshSoon();
    });
  const confirm = () => {
    const p = pending;
    setPending(undefined);
    if (p === undefined) return;
    if (p.kind === 'rotate') void act(async () => setCredential(await app.api.rotateCredential(p.device.id)));
    if (p.kind === 'revoke') void act(() => app.api.revokeCredential(p.device.id));
    if (p.kind === 'delete') void act(async () => {
      await app.api.deleteDevice(p.device.id);
      data.status.forget(p.device.id);
      data.events.forget(p.device.id);
      await data.sensors.refresh();
    });
  };
  const sensorCount = (id: string) => statuses[list.findIndex((d) => d.id === id)]?.data?.sensors.length;

  return (
    <>
      <div class="page-head">
        <h1>Gateways</h1>
        <button type="button" class="primary" onClick={() => setAdding(true)}>
          Add a gateway
        </button>
      </div>
      {action.status}
      {devices.error !== undefined && <FailureNotice failure={devices.error} retry={() => void data.devices.refresh()} />}
      {devices.data === undefined ? (
        devices.error === undefined && <Loading what="your gateways" />
      ) : list.length === 0 ? (
        <EmptyState title="No gateway yet" action={<button type="button" class="primary" onClick={() => setAdding(true)}>Add a gateway</button>}>
          A gateway is the Raspberry Pi that reads your sensors. Add it here: you get a one-time code and the command to run on the Pi.
        </EmptyState>
      ) : (
        <ul class="list">
          {list.map((d, i) => (
            <li key={d.id} class="card" data-testid="gateway">
              <div class="row">
                <div class="grow">
                  {renaming?.id === d.id ? (
                    <form
                      class="filters"
                      onSubmit={(e) => {
                        e.preventDefault();
                        const name = renaming.name.trim();
                        setRenaming(undefined);
                        if (name !== '' && name !== d.name) void act(() => app.api.renameDevice(d.id, name));
                      }}
                    >
                      <div class="field">
                        <label for={`name-${d.id}`}>Name</label>
                        <input id={`name-${d.id}`} value={renaming.name} maxLength={120} required onInput={(e) => setRenaming({ id: d.id, name: e.currentTarget.value })} />
                      </div>
                      <button type="submit" class="primary">
                        Save
                      </button>
                      <button type="button" onClick={() => setRenaming(undefined)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <h2>
                      {d.name} {presencePill(d)} {!d.credentialActive && <Pill tone="warning">Credential revoked</Pill>}
                    </h2>
                  )}
                  <BacklogText device={d} status={statuses[i]?.data} />
                  <dl class="kv spaced">
                    <dt>Added</dt>
                    <dd>{formats.dateTime(d.createdAt, app.now())}</dd>
                    <dt>Version</dt>
                    <dd>{d.version ?? 'unknown'}</dd>
                    <dt>Sensors</dt>
                    <dd>{sensorCount(d.id) ?? '…'}</dd>
                    <dt>Uploaded</dt>
                    <dd>{formats.number(d.ackedSeq, 0)} records</dd>
                  </dl>
                </div>
                <div class="actions">
                  <button type="button" disabled={busy} onClick={() => setRenaming({ id: d.id, name: d.name })}>
                    Rename<span class="sr-only"> {d.name}</span>
                  </button>
                  <button type="button" disabled={busy} onClick={() => setPending({ kind: 'rotate', device: d })}>
                    New credential
                  </button>
                  {d.credentialActive && (
                    <button type="button" disabled={busy} onClick={() => setPending({ kind: 'revoke', device: d })}>
                      Revoke credential
                    </button>
                  )}
                  <button type="button" disabled={busy} onClick={() => setPending({ kind: 'delete', device: d })}>
                    Delete<span class="sr-only"> {d.name}</span>
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <AddGatewayDialog open={adding} onClose={() => setAdding(false)} />
      <ConfirmDialog
        open={pending !== undefined}
        title={pending?.kind === 'delete' ? `Delete ${pending.device.name}?` : pending?.kind === 'revoke' ? 'Revoke its credential?' : 'Issue a new credential?'}
        confirm={pending?.kind === 'delete' ? 'Delete gateway and its data' : pending?.kind === 'revoke' ? 'Revoke' : 'Issue new credential'}
        danger={pending?.kind !== 'rotate'}
        busy={busy}
        onCancel={() => setPending(undefined)}
        onConfirm={confirm}
      >
        {pending?.kind === 'delete' && (
          <p>
            This deletes, from the cloud, everything {pending.device.name} sent: the readings of its {sensorCount(pending.device.id) ?? ''} sensors, its events, its alert rules and the
            notifications about it. Its credential stops working. The Pi keeps alarming and keeps its own copy of the data; to use it again, add it with a new code.
          </p>
        )}
        {pending?.kind === 'revoke' && (
          <p>
            {pending.device.name} stops uploading at once (a lost or sold Pi). Its data stays here. To reconnect it later, issue a new credential or add it again with a code.
          </p>
        )}
        {pending?.kind === 'rotate' && <p>The current credential stops working now. You will see the new one once, to put on the Pi.</p>}
      </ConfirmDialog>
      <Dialog open={credential !== undefined} onClose={() => setCredential(undefined)} labelledBy="cred-title">
        <h2 id="cred-title">The new credential</h2>
        <p>Shown this once. The gateway stops uploading until it has it.</p>
        <pre class="code spaced" data-testid="new-credential">
          {credential?.credential}
        </pre>
        <p class="small spaced">
          On the Pi, put it in <span class="mono">/var/lib/easygas/cloud-credential.json</span> as the <span class="mono">"credential"</span> value (gateway id{' '}
          <span class="mono">{credential?.gatewayId}</span>). The running gateway picks it up within 5 seconds.
        </p>
        <div class="actions">
          <CopyButton text={credential?.credential ?? ''} label="Copy" />
          <button type="button" class="primary" onClick={() => setCredential(undefined)}>
            I have saved it
          </button>
        </div>
      </Dialog>
    </>
  );
}
