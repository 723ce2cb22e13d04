/**
 * A setting that must never reach a log, an error message or a JSON dump (SMTP
 * password, VAPID private key, SMS auth token). Every way of printing it prints
 * "[secret]"; only `reveal()` gives the value, at the one place that uses it.
 */
import { inspect } from 'node:util';

const MASK = '[secret]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}
