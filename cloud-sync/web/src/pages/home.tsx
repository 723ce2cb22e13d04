/** Home: alarms first, then each tank, the gas and leak sensors, and the gateways. */
import type { JSX } from 'preact';
import type { Device, DeviceStatusView, Sensor } from '../api/types.js';
import { AlarmBanners } from '../components/alarm-banners.js';
import { GatewaySummary } from '../components/gateway-summary.js';
import { SensorTile } from '../components/sensor-tile.js';
import { TankCard } from '../components/tank-card.js';
import { EmptyState, FailureNotice, Link, Loading } from '../components/ui.js';
import type { HouseState } from '../components/use-house-state.js';
import { useApp, usePageName } from '../context.js';
import { useNow, useStores } from '../data/hooks.js';
import type { GatewayFreshness } from '../logic/freshness.js';

export function freshnessOf(device: Device | undefined, status: DeviceStatusView | undefined): GatewayFreshness {
  return { online: device?.online ?? false, lastSeenAt: device?.lastSeenAt ?? null, backlog: status?.heartbeat?.backlog ?? null };
}

export function HomePage(props: { house: HouseState }): JSX.Element {
  usePageName('Home');
  const app = useApp();
  const { data } = app;
  useNow(15_000, app.now); // relative times and staleness move on
  const { devices, sensors, alarms } = props.house;
  const deviceList = devices.data ?? [];
  const sensorList = sensors.data ?? [];
  const tanks = sensorList.filter((s) => s.kind === 'level');
  const others = sensorList.filter((s) => s.kind !== 'level');
  const statuses = useStores(deviceList.map((d) => data.status.get(d.id)));
  const latest = useStores(sensorList.map((s) => data.latest.get(s.id)));
  const analytics = useStores(tanks.map((s) => data.analytics.get(`${s.id}|7`)));
  const statusOf = (gatewayId: string) => statuses[deviceList.findIndex((d) => d.id === gatewayId)]?.data;
  const deviceOf = (gatewayId: string) => deviceList.find((d) => d.id === gatewayId);
  const latestOf = (s: Sensor) => latest[sensorList.indexOf(s)]?.data;
  const alarmOf = (s: Sensor) => alarms.find((a) => a.sensorId === s.id);
  const failure = devices.error ?? sensors.error;

  return (
    <>
      <div class="page-head">
        <h1>Your home</h1>
      </div>
      {failure !== undefined && (
        <FailureNotice failure={failure} retry={() => void Promise.all([data.devices.refresh(), data.sensors.refresh()])} context="Could not update" />
      )}
      <AlarmBanners alarms={alarms} sensorName={props.house.sensorName} />
      {devices.data === undefined || sensors.data === undefined ? (
        failure === undefined && <Loading what="your home" />
      ) : deviceList.length === 0 ? (
        <EmptyState title="No gateway yet" action={<Link class="button primary" href="/gateways?add=1">Add a gateway</Link>}>
          The dashboard shows what your EasyGas gateway measures. Add one: you get a code and the command to run on the Raspberry Pi.
        </EmptyState>
      ) : sensorList.length === 0 ? (
        <EmptyState title="No sensors reported yet" action={<Link class="button" href="/gateways">See your gateways</Link>}>
          Your gateway is added but has not sent any readings. Check that it runs with cloud sync on (cloud.enabled: true) and is online; sensors appear here within a minute.
        </EmptyState>
      ) : (
        <>
          {tanks.length > 0 && (
            <section class="section" aria-labelledby="tanks-title">
              <h2 id="tanks-title">Tanks</h2>
              <div class="grid">
                {tanks.map((s, i) => (
                  <TankCard
                    key={s.id}
                    sensor={s}
                    latest={latestOf(s)}
                    analytics={analytics[i]?.data}
                    gateway={freshnessOf(deviceOf(s.gatewayId), statusOf(s.gatewayId))}
                    alarm={alarmOf(s)}
                  />
                ))}
              </div>
            </section>
          )}
          {others.length > 0 && (
            <section class="section" aria-labelledby="safety-title">
              <h2 id="safety-title">Gas, leaks and temperature</h2>
              <div class="grid tiles">
                {others.map((s) => (
                  <SensorTile key={s.id} sensor={s} latest={latestOf(s)} gateway={freshnessOf(deviceOf(s.gatewayId), statusOf(s.gatewayId))} alarm={alarmOf(s)} />
                ))}
              </div>
            </section>
          )}
        </>
      )}
      {deviceList.length > 0 && (
        <section class="section" aria-labelledby="gateways-title">
          <h2 id="gateways-title">Gateways</h2>
          <ul class="list">
            {deviceList.map((d, i) => (
              <GatewaySummary key={d.id} device={d} status={statuses[i]?.data} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
