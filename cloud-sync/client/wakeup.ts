/**
 * A sleep that can be cut short: the sync loop waits on it between passes, and
 * syncNow() or stop() wakes it. A wake with nobody asleep is kept for the next
 * sleep, so a syncNow() during a pass is never lost.
 */
export class Wakeup {
  #pending = false;
  #wake: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        if (this.#wake === wake) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.#wake = wake;
    });
  }

  wake(): void {
    const wake = this.#wake;
    if (wake === undefined) {
      this.#pending = true;
      return;
    }
    this.#wake = undefined;
    wake();
  }
}
