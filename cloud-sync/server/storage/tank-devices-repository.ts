/** The storage interface of HTTP-only tank level devices (implemented in repositories/tank-devices.ts). */
import type { Tank, TankLevel } from './order-types.js';

/** How a device's ultrasonic distance (sensor at the top, looking down) becomes a percent. */
export interface DistanceGeometry {
  /** The distance to the surface when the tank is empty. */
  readonly emptyDistanceMm: number;
  /** …and when it is full (smaller). */
  readonly fullDistanceMm: number;
}

export interface TankDevice {
  readonly tank: Tank;
  readonly geometry: DistanceGeometry | null;
}

export interface TankDeviceRepository {
  /** Stores the credential's hash for this tank, replacing any earlier one (the old token stops working). */
  setCredential(tankId: string, tokenHash: string, geometry: DistanceGeometry | null, now: number): Promise<void>;
  /** The tank (and geometry) a credential hash belongs to. */
  byTokenHash(tokenHash: string): Promise<TankDevice | undefined>;
  /**
   * Stores the level under the device's reading id, unless that id is stored for the
   * tank already: then nothing is written. Either way, the level stored under the id.
   */
  addReading(tankId: string, readingId: string, level: TankLevel, now: number): Promise<{ level: TankLevel; created: boolean }>;
}
