/**
 * A FIFO async mutex. One guards each I2C bus so that a multi-transfer sequence
 * (pointer write, then read) is never interleaved with another device's traffic.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #held = 0;

  /** True while some caller holds the lock or waits for it. */
  get busy(): boolean {
    return this.#held > 0;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#held++;
    try {
      await previous;
      return await fn();
    } finally {
      this.#held--;
      release();
    }
  }
}
