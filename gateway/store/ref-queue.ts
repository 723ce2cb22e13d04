/**
 * A FIFO of messages ordered by ref with O(1) amortised removal from the front:
 * StoreClient's resend buffer, which drops its head on every commit acknowledgement
 * and when it overflows (Array#shift/splice(0, n) on a long array is O(n) each time).
 */
export class RefQueue<T extends { readonly ref: number }> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes every item with ref ≤ `ref` from the front. */
  dropThrough(ref: number): void {
    while (this.#head < this.#items.length && this.#items[this.#head]!.ref <= ref) this.#head++;
    this.#compact();
  }

  /** Drops the oldest items beyond `max`; returns how many. */
  trimTo(max: number): number {
    const excess = Math.max(0, this.length - max);
    this.#head += excess;
    this.#compact();
    return excess;
  }

  /** Removes one item by ref (rare: a message that could not be posted). */
  remove(ref: number): void {
    const live = this.toArray().filter((item) => item.ref !== ref);
    this.#items = live;
    this.#head = 0;
  }

  toArray(): T[] {
    return this.#items.slice(this.#head);
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    } else if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
  }
}
