/**
 * The QoS a message goes out with, where aedes 1.x gets it wrong:
 *
 * - It downgrades a message to the subscription's QoS only when the client
 *   subscribed to that exact topic, so a QoS 2 message reaches a `sensors/#`
 *   subscriber granted QoS 1 at QoS 2 (MQTT-3.8.4-6: the minimum of the two).
 * - With overlapping subscriptions (`a/#` at QoS 0 and `a/+` at QoS 1) the first
 *   subscription to match delivers and the other is dropped as a duplicate, so the
 *   message may go out at QoS 0 (MQTT-3.3.5-1: the highest QoS of the matching
 *   subscriptions).
 *
 * `deliveryQos` is the rule; `respectSubscriptionQos` fits it into one client: its
 * QoS 0 delivery stands aside when a QoS 1+ subscription of the same client matches
 * (that one then delivers), and the broker's authorizeForward hands on the packet at
 * the QoS deliveryQos gives.
 */
import { topicMatches } from './topic-filter.js';

export interface SubscribedQos {
  readonly qos: number;
}

/** A client's subscriptions by filter: aedes keeps a record, the persistence a Map. */
export type Subscriptions = Readonly<Record<string, SubscribedQos>> | ReadonlyMap<string, SubscribedQos>;

/** min(published QoS, the highest QoS among the client's subscriptions matching `topic`). */
export function deliveryQos(subscriptions: Subscriptions, topic: string, publishedQos: number): number {
  if (publishedQos === 0) return 0;
  let highest = -1;
  const entries: Iterable<[string, SubscribedQos]> =
    subscriptions instanceof Map ? (subscriptions as ReadonlyMap<string, SubscribedQos>).entries() : Object.entries(subscriptions as Readonly<Record<string, SubscribedQos>>);
  for (const [filter, { qos }] of entries) {
    if (qos > highest && topicMatches(filter, topic)) highest = qos;
    if (highest >= publishedQos) return publishedQos;
  }
  // No subscription matches: a retained or queued message of a subscription since removed; leave it be.
  return highest < 0 ? publishedQos : highest;
}

type Deliver = (packet: { readonly topic: string; readonly qos: number }, done: () => void) => void;

interface AedesClientInternals {
  subscriptions: Record<string, SubscribedQos>;
  deliver0: Deliver;
}

/**
 * Makes a client's QoS 0 delivery stand aside for its own higher-QoS subscription.
 * Call before the client subscribes anything (aedes binds the function at SUBSCRIBE
 * and at session restore).
 */
export function respectSubscriptionQos(client: object): void {
  const internals = client as AedesClientInternals;
  const original = internals.deliver0;
  internals.deliver0 = (packet, done) => {
    if (packet.qos > 0 && deliveryQos(internals.subscriptions, packet.topic, packet.qos) > 0) {
      setImmediate(done);
      return;
    }
    original(packet, done);
  };
}

/** The packet to hand to one client: the same one, or a copy at the QoS it is owed. */
export function atDeliveryQos<P extends { readonly topic: string; readonly qos: number }>(client: object, packet: P): P {
  const { subscriptions } = client as AedesClientInternals;
  const qos = deliveryQos(subscriptions, packet.topic, packet.qos);
  if (qos === packet.qos) return packet;
  // A copy: the same packet object goes to every subscriber.
  return Object.assign(Object.create(Object.getPrototypeOf(packet) as object) as P, packet, { qos });
}
