/**
 * Feeds systemd's watchdog only while a health check proves the sampling loop is
 * alive — not from a bare timer, which would keep a daemon with a dead loop "up"
 * (HARDWARE.md). When the check fails the pings stop, systemd kills the process
 * after WatchdogSec and Restart=always brings it back.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { Notifier } from './sd-notify.js';

export interface WatchdogOptions {
  readonly notifier: Notifier;
  readonly clock: Clock;
  /** Ping period; default half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises. */
  readonly intervalMs?: number;
  /** Returns a reason when unhealthy, undefined when all is well. */
  readonly check: () => string | undefined;
  readonly logger: Logger;
}

export class Watchdog {
  readonly #options: WatchdogOptions;
  #timer: TimerHandle | undefined;
  #failing: string | undefined;
  #pings = 0;
  #missed = 0;

  constructor(options: WatchdogOptions) {
    this.#options = options;
  }

  get pings(): number {
    return this.#pings;
  }

  get missed(): number {
    return this.#missed;
  }

  /** Starts pinging; does nothing when systemd asked for no watchdog. */
  start(): void {
    const period = this.#options.intervalMs ?? (this.#options.notifier.watchdogMs !== undefined ? this.#options.notifier.watchdogMs / 2 : undefined);
    if (period === undefined || this.#timer !== undefined) return;
    const { clock } = this.#options;
    const beat = (): void => {
      this.tick();
      this.#timer = clock.setTimeout(beat, period);
    };
    this.#timer = clock.setTimeout(beat, period);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One health check and, if it passes, one ping. */
  tick(): void {
    const { check, notifier, logger } = this.#options;
    let reason: string | undefined;
    try {
      reason = check();
    } catch (err) {
      reason = `health check threw: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (reason === undefined) {
      if (this.#failing !== undefined) logger.info({ was: this.#failing }, 'health check passes again; watchdog pings resume');
      this.#failing = undefined;
      this.#pings++;
      notifier.watchdog();
      return;
    }
    this.#missed++;
    if (this.#failing !== reason) logger.error({ reason }, 'health check failed: withholding watchdog pings so systemd restarts the daemon');
    this.#failing = reason;
  }
}
