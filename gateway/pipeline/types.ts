/**
 * The domain vocabulary of one sample's way (docs/architecture.md): raw sample → calibrate →
 * filter → reading → rules → condition events. Everything here is plain data:
 * immutable, serialisable, no I/O.
 */

import type { FaultCode } from '../../hardware/fault.js';

export type SensorKind = 'level' | 'gas' | 'leak' | 'temperature';

/**
 * A sensor's health, and the quality stamped on each of its readings.
 * stale and disconnected never appear on a reading: such a sensor has no value.
 */
export type Health = 'ok' | 'warming_up' | 'stale' | 'disconnected' | 'out_of_range' | 'stuck' | 'noisy';

/** The subset of Health a reading can carry: the sensor produced a number. */
export type Quality = Extract<Health, 'ok' | 'warming_up' | 'out_of_range' | 'stuck' | 'noisy'>;

/**
 * Why a source produced no value: a hardware fault code (hardware/fault.ts is pure,
 * so the pipeline may share it), or a payload from a Wi-Fi node that made no sense.
 */
export type SampleFaultCode = FaultCode | 'malformed';

export interface SampleFault {
  readonly code: SampleFaultCode;
  readonly message: string;
  readonly hint?: string;
}

/**
 * What a source (a driver behind a poller, or a Wi-Fi node) delivered at one instant,
 * in the source's own unit: volts for an ADC, millimetres for an ultrasonic sensor,
 * sensor volts for an MQ-6, °C for a DS18B20, 0/1 for a contact.
 */
export interface RawSample {
  readonly sensorId: string;
  /** Wall-clock UTC epoch ms when the sample was taken. */
  readonly at: number;
  /** Monotonic ms, for intervals and rates (wall time can step). */
  readonly mono: number;
  /** False until the system clock is known to be synchronised (a Pi has no RTC). */
  readonly clockSynced: boolean;
  readonly value?: number;
  readonly fault?: SampleFault;
  /** The source says it is still warming up (MQ-6 heater): never alarm or clear on it. */
  readonly warmingUp?: boolean;
  /**
   * The quantity is beyond the top of what the sensor can measure and `value` is the
   * bound (an MQ-6's ADC clipped high: at least this much gas). Not a fault.
   */
  readonly overRange?: boolean;
}

/** A calibrated, filtered value: what is stored, published and judged by the rules. */
export interface Reading {
  readonly sensorId: string;
  readonly kind: SensorKind;
  readonly at: number;
  readonly mono: number;
  readonly clockSynced: boolean;
  /** The primary value: percent for level, %LEL for gas, °C, 1 = wet / 0 = dry. */
  readonly value: number;
  readonly unit: string;
  /** The raw source value this reading came from (before calibration). */
  readonly raw: number;
  /** Level sensors: percent of the usable capacity and litres. */
  readonly percent?: number;
  readonly litres?: number;
  /** Gas sensors: the concentration behind the %LEL. */
  readonly ppm?: number;
  readonly quality: Quality;
  /**
   * The true value is at least `value`: the sample was above what the sensor can measure
   * (gas above the sensor's range; a level inside an ultrasonic sensor's blind zone: full
   * or over-full). Absent on ordinary readings.
   */
  readonly overRange?: true;
}

export type Severity = 'info' | 'warning' | 'critical';

export type ConditionKind =
  | 'low_level'
  | 'gas'
  | 'water_leak'
  | 'sudden_drop'
  | 'possible_leak'
  | 'sensor_fault';

/**
 * A rule's verdict changing: raised (or escalated/de-escalated, with a new
 * severity) or cleared. The alarm state machine and the store consume these.
 */
export interface ConditionEvent {
  readonly sensorId: string;
  readonly condition: ConditionKind;
  readonly state: 'raised' | 'cleared';
  readonly severity: Severity;
  /** Above the severe level an alarm cannot be silenced (gas far above the alarm threshold). */
  readonly severe: boolean;
  readonly at: number;
  readonly mono: number;
  readonly clockSynced: boolean;
  /** The value that decided it, with its unit; absent for faults. */
  readonly value?: number;
  readonly unit?: string;
  readonly threshold?: number;
  /** Human sentence for logs, notifications and the status page. */
  readonly message: string;
}
