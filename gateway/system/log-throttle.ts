/**
 * Rate-limits repeated log lines: the first occurrence of a key is logged, then
 * at most one line per window, carrying how many were suppressed. A sensor that
 * fails every 2 s for a week must not write 300,000 lines to the SD card.
 */
export class LogThrottle {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #seen = new Map<string, { last: number; suppressed: number }>();

  constructor(windowMs: number, now: () => number) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /**
   * Returns undefined when the line should be dropped, else the number of lines
   * suppressed since the last one that was logged (0 for the first).
   */
  admit(key: string): number | undefined {
    const now = this.#now();
    const entry = this.#seen.get(key);
    if (entry === undefined || now - entry.last >= this.#windowMs || now < entry.last) {
      const suppressed = entry?.suppressed ?? 0;
      this.#seen.set(key, { last: now, suppressed: 0 });
      if (this.#seen.size > 10_000) this.#seen.clear(); // bounded, whatever the keys
      return suppressed;
    }
    entry.suppressed++;
    return undefined;
  }

  /** Forget a key (the condition ended): its next occurrence is logged at once. */
  reset(key: string): void {
    this.#seen.delete(key);
  }
}
