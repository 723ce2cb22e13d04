/**
 * The Raspberry Pi: /dev/i2c-N through i2c-bus, UARTs through serialport, GPIO
 * through sysfs (onoff, with the header chip's base found by label), DS18B20s
 * under /sys/bus/w1. Sensors are powered with the Pi, so warm-up counts from boot.
 */
import { uptime } from 'node:os';
import { systemClock } from '../../hardware/clock.js';
import { openI2cBus } from '../../hardware/linux/i2c-bus-backend.js';
import { createOnoffGpio } from '../../hardware/linux/onoff-gpio.js';
import { openSerialPort } from '../../hardware/linux/serialport-stream.js';
import type { Logger } from '../../hardware/logger.js';
import type { HardwareKit } from './hardware-kit.js';

export interface LinuxHardwareOptions {
  readonly gpioSysfsRoot: string;
  readonly w1Root: string;
  readonly logger: Logger;
}

export function linuxHardware(options: LinuxHardwareOptions): HardwareKit {
  const clock = systemClock();
  return {
    description: 'Raspberry Pi hardware',
    clock,
    sensorsPoweredAt: clock.monotonic() - uptime() * 1_000,
    openI2cBus,
    openSerial: openSerialPort,
    gpio: createOnoffGpio({ sysfsRoot: options.gpioSysfsRoot, logger: options.logger }),
    w1Root: options.w1Root,
    start: () => undefined,
    close: () => Promise.resolve(),
  };
}
