/**
 * Everything the daemon needs from the machine, behind one interface: a
 * Raspberry Pi's buses (linux-hardware.ts) or the simulated home
 * (simulated-home.ts). The daemon cannot tell them apart, which is the point:
 * --simulate runs the same drivers, pollers, pipeline and alarms.
 */
import type { Clock } from '../../hardware/clock.js';
import type { Gpio } from '../../hardware/ports/digital.js';
import type { I2cBus } from '../../hardware/ports/i2c.js';
import type { SerialOpener } from '../../hardware/ports/serial.js';

export interface HardwareKit {
  /** "Raspberry Pi hardware" or "simulated home (60× speed)", for the start-up log. */
  readonly description: string;
  readonly clock: Clock;
  /** Monotonic time on `clock` when the sensors were powered (MQ-6 warm-up counts from it). */
  readonly sensorsPoweredAt: number;
  openI2cBus(busNumber: number): Promise<I2cBus>;
  readonly openSerial: SerialOpener;
  readonly gpio: Gpio;
  /** Where DS18B20s appear (/sys/bus/w1/devices, or the simulator's temp dir). */
  readonly w1Root: string;
  /** Starts whatever the kit animates (the simulated world); nothing on a Pi. */
  start(): void;
  /** Stops the animation and releases what the kit opened itself. */
  close(): Promise<void>;
}

/** The hush button of the simulated home: pressed from the terminal or a test. */
export interface PressableButton {
  press(): void;
}
