/**
 * How one sensor's pipeline is configured. The config schema (gateway/config) is
 * checked at compile time against these types, so the YAML a user writes and the
 * pipeline that runs it cannot drift apart.
 */
import type { SensorKind } from './types.js';

/** One calibration point: a raw source value and the quantity it means. */
export interface CalibrationPoint {
  readonly raw: number;
  readonly value: number;
}

export type CalibrationSpec =
  /** Use the raw value as it is (a DS18B20 already reads °C). */
  | { readonly type: 'identity' }
  /** value = raw × scale + offset (a temperature trim). */
  | { readonly type: 'offset'; readonly scale: number; readonly offset: number }
  /** Two points define a straight line (empty/full of a dial sender); extrapolates. */
  | { readonly type: 'two_point'; readonly points: readonly [CalibrationPoint, CalibrationPoint] }
  /**
   * A table of ≥ 2 points, raw strictly increasing or strictly decreasing;
   * linear between points, clamped to the end values outside the table.
   */
  | { readonly type: 'piecewise'; readonly points: readonly CalibrationPoint[] }
  /**
   * A resistive sender in a divider: raw volts → sender ohms
   * (R = Rref × V / (Vs − V) when the sender is the low side), then the
   * ohms → value table (e.g. 0 Ω empty … 90 Ω at 80 %). The open-circuit rail
   * (a broken wire) is an error; the 0 Ω rail, and ADC noise up to 1 % of Vs past
   * it, reads 0 Ω, since a 0 Ω "empty" sender sits exactly there.
   */
  | {
      readonly type: 'resistive';
      readonly supplyVolts: number;
      readonly referenceOhms: number;
      readonly senderSide: 'low' | 'high';
      readonly points: readonly CalibrationPoint[];
    }
  /**
   * MQ-6 gas sniffer: sensor volts → Rs = RL (Vc − V) / V → Rs/R0 →
   * ppm = a × (Rs/R0)^b → %LEL of the gas mix (lowest LEL present).
   */
  | {
      readonly type: 'mq6';
      readonly supplyVolts: number;
      readonly loadOhms: number;
      readonly r0Ohms: number;
      readonly curve: { readonly a: number; readonly b: number };
      /** Fractions of each gas, e.g. { propane: 0.6, butane: 0.4 }. */
      readonly gasMix: Readonly<Partial<Record<'propane' | 'butane' | 'isobutane', number>>>;
    };

/** Dimensions in millimetres; volumes come out in litres. */
export type TankShape =
  | { readonly shape: 'vertical_cylinder'; readonly diameterMm: number; readonly heightMm: number }
  | { readonly shape: 'horizontal_cylinder'; readonly diameterMm: number; readonly lengthMm: number }
  /** Cylinder with hemispherical heads (typical LPG tank); lengthMm is the straight part. */
  | { readonly shape: 'horizontal_capsule'; readonly diameterMm: number; readonly lengthMm: number }
  | { readonly shape: 'rectangular'; readonly lengthMm: number; readonly widthMm: number; readonly heightMm: number }
  /** Only the water capacity is known (a cylinder read by a float gauge in percent). */
  | { readonly shape: 'capacity'; readonly litres: number };

export type TankSpec = TankShape & {
  /**
   * The fraction of water capacity that counts as full: 0.8 for LPG (tanks are
   * filled to 80 %), 1 for water (or the overflow level).
   */
  readonly maxFillFraction: number;
};

/**
 * How a level sensor's calibrated value relates to the liquid:
 * - distance_mm: an ultrasonic sensor's distance from its face down to the surface;
 * - height_mm: the liquid height above the tank floor;
 * - gauge_percent: a float gauge's dial, percent of WATER capacity (already volume).
 */
export interface LevelSpec {
  readonly measures: 'distance_mm' | 'height_mm' | 'gauge_percent';
  /** distance_mm: the sensor face's height above the tank floor. */
  readonly mountHeightMm?: number;
  /** distance_mm: distances at or below this are inside the blind zone and not trusted. */
  readonly blindZoneMm?: number;
  readonly tank: TankSpec;
}

/**
 * Smoothing, in the reading's unit (percent for level, %LEL for gas, °C). Not
 * applied to leak contacts: they are 0/1 and debounced in hardware.
 */
export interface FilterSpec {
  /** Median of the last N accepted values (odd N; 1 = off). */
  readonly medianWindow: number;
  /**
   * Spike rejection: a value that moves faster than this many units per minute
   * from the last accepted value is held back; if the next `confirmSamples`
   * values agree with it (within a quarter of the step, or the rate), it was a
   * real step (a refill) and is accepted. At start-up the first value waits for a
   * second that agrees with it, so a first spike never comes out.
   */
  readonly spike?: { readonly maxRatePerMinute: number; readonly confirmSamples: number };
  /** Exponential moving average with this time constant (0 = off). */
  readonly emaTimeConstantMs: number;
}

/** When a sensor counts as stuck, noisy or out of range, and how fast faults escalate. */
export interface HealthSpec {
  /** The sensor's sample interval, for stale/disconnected timing. */
  readonly intervalMs: number;
  /**
   * Consecutive connection faults (missing, permission, no_ack, timeout, closed,
   * busy, io) before `disconnected`; 2 makes an unplugged sensor disconnected
   * within two sample periods.
   */
  readonly disconnectedAfterFaults: number;
  /**
   * Nothing heard for this long → `stale` (a silent Wi-Fi node); default 3 × interval.
   * Any sample but a connection fault counts as hearing from the sensor.
   */
  readonly staleAfterMs: number;
  /** Nothing heard for this long → `disconnected`; default 10 × interval. */
  readonly disconnectedAfterMs: number;
  /**
   * Calibrated values outside [min, max] are `out_of_range`: in the reading's unit
   * (percent for level, %LEL for gas), judged before filtering.
   */
  readonly validRange: { readonly min: number; readonly max: number };
  /** Raw value unchanged (within epsilon) for this long → `stuck`; 0 = never. */
  readonly stuckAfterMs: number;
  readonly stuckEpsilon: number;
  /** More than this fraction of the last `noisyWindow` samples rejected or faulty → `noisy`. */
  readonly noisyFraction: number;
  readonly noisyWindow: number;
  /** Readings are `warming_up` for this long after start (MQ-6 heater); 0 = none. */
  readonly warmupMs: number;
}

export type RuleSpec =
  | {
      readonly type: 'low_level';
      readonly warningPercent: number;
      readonly criticalPercent: number;
      readonly hysteresisPercent: number;
      readonly minDurationMs: number;
    }
  | {
      readonly type: 'gas';
      readonly warningLel: number;
      readonly alarmLel: number;
      /** Above this, silencing is refused. */
      readonly severeLel: number;
      readonly hysteresisLel: number;
      readonly minDurationMs: number;
    }
  | { readonly type: 'leak'; readonly minDurationMs: number }
  | {
      /** Possible leak: the level fell by more than dropPercent within windowMs. */
      readonly type: 'sudden_drop';
      readonly dropPercent: number;
      readonly windowMs: number;
    }
  | {
      /**
       * Possible slow leak (leak-watch.ts): a steady loss through the local quiet hours,
       * or a steady decline unlike bursty use. Each part absent = off.
       */
      readonly type: 'leak_watch';
      /** IANA time zone of the quiet hours; absent = the gateway's own. */
      readonly timeZone?: string;
      /** Minutes of the local day, on the hour or half hour; the loss floor in percent of the tank. */
      readonly quietHours?: { readonly fromMinute: number; readonly toMinute: number; readonly minLossPercent: number };
      readonly steadyDecline?: { readonly windowMs: number; readonly minPercentPerHour: number };
    }
  | {
      /** Raised when health stays outside ok/warming_up this long. */
      readonly type: 'sensor_fault';
      readonly minDurationMs: number;
    };

export interface SensorPipelineSpec {
  readonly sensorId: string;
  /** What the homeowner calls it ("LPG cylinder"), for messages. */
  readonly name: string;
  readonly kind: SensorKind;
  readonly calibration: CalibrationSpec;
  readonly level?: LevelSpec;
  readonly filter: FilterSpec;
  readonly health: HealthSpec;
  readonly rules: readonly RuleSpec[];
}
