/**
 * A fleet of simulated Wi-Fi sensor nodes in its own process (real nodes do not
 * share the gateway's CPU): N mqtt.js clients, each publishing plain-number
 * readings on <base>/nodes/node-<i>/reading, at most WINDOW unsent per client.
 * Driven over IPC by the mqtt-nodes bench:
 *   { type: 'connect', url, clients, username?, password? } → { type: 'connected' }
 *   { type: 'publish', perClient }                          → { type: 'published' }
 *   { type: 'close' }                                       → exits
 */
import mqtt, { type MqttClient } from 'mqtt';

const WINDOW = 32;

type Command =
  | { type: 'connect'; url: string; clients: number; username?: string; password?: string }
  | { type: 'publish'; perClient: number }
  | { type: 'close' };

const fleet: { clients: MqttClient[] } = { clients: [] };

function publishMany(client: MqttClient, topic: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let inFlight = 0;
    const pump = (): void => {
      while (inFlight < WINDOW && sent < count) {
        const value = (18 + (sent % 50) / 10).toFixed(1);
        sent++;
        inFlight++;
        client.publish(topic, value, { qos: 0 }, (err) => {
          if (err) {
            reject(err);
            return;
          }
          inFlight--;
          done++;
          if (done === count) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

process.on('message', (message: Command) => {
  void (async () => {
    switch (message.type) {
      case 'connect':
        fleet.clients = await Promise.all(
          Array.from({ length: message.clients }, (_, i) =>
            mqtt.connectAsync(message.url, {
              clientId: `bench-node-${i}`,
              reconnectPeriod: 0,
              ...(message.username !== undefined ? { username: message.username, password: message.password } : {}),
            }),
          ),
        );
        process.send?.({ type: 'connected' });
        break;
      case 'publish':
        await Promise.all(fleet.clients.map((c, i) => publishMany(c, `easygas/nodes/node-${i}/reading`, message.perClient)));
        process.send?.({ type: 'published' });
        break;
      case 'close':
        await Promise.all(fleet.clients.map((c) => c.endAsync()));
        process.exit(0);
    }
  })().catch((err: unknown) => {
    process.stderr.write(`fleet: ${String(err)}\n`);
    process.exit(1);
  });
});
