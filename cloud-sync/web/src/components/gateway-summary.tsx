/** A gateway's presence and upload backlog, in a line. */
import type { JSX } from 'preact';
import type { Device, DeviceStatusView } from '../api/types.js';
import { useApp } from '../context.js';
import { Pill } from './ui.js';

export function presencePill(device: Device): JSX.Element {
  if (device.presence === 'unknown' && device.lastSeenAt === null) return <Pill tone="neutral">Never connected</Pill>;
  return device.online ? <Pill tone="ok">Online</Pill> : <Pill tone="warning">Offline</Pill>;
}

export function BacklogText(props: { device: Device; status: DeviceStatusView | undefined }): JSX.Element {
  const { formats, now } = useApp();
  const hb = props.status?.heartbeat;
  const seen = props.device.lastSeenAt === null ? 'never heard from' : `last heard ${formats.relative(props.device.lastSeenAt, now())}`;
  if (hb === undefined || hb === null) return <span class="small muted">{seen}</span>;
  const backlog =
    hb.backlog.records === 0
      ? 'everything uploaded'
      : `${formats.number(hb.backlog.records, 0)} records waiting to upload${hb.backlog.oldestAt === null ? '' : `, oldest from ${formats.dateTime(hb.backlog.oldestAt, now())}`}`;
  return (
    <span class="small muted">
      {seen} · {backlog}
      {!hb.clockSynced && ' · its clock is not set yet'}
    </span>
  );
}

export function GatewaySummary(props: { device: Device; status: DeviceStatusView | undefined }): JSX.Element {
  return (
    <li class="card row" data-testid="gateway-summary">
      <div class="grow">
        <strong>{props.device.name}</strong> {presencePill(props.device)}
        <br />
        <BacklogText device={props.device} status={props.status} />
      </div>
    </li>
  );
}
