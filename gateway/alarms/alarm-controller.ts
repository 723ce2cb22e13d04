/**
 * Owns the alarm book: feeds it the rules' verdicts, the hush button and the
 * silence/test commands, keeps the hush timer, and shows the result on the
 * annunciator — synchronously, before anything is stored or published.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { ConditionEvent } from '../pipeline/types.js';
import {
  applyCondition,
  emptyBook,
  isSounding,
  nextDeadline,
  silence,
  startTest,
  tick,
  type ActiveAlarm,
  type AlarmBook,
  type AlarmChange,
} from './alarm-book.js';
import { annunciationFor, type Annunciation } from './annunciation.js';

/** Where the decision goes: the Annunciator on a Pi, anything that records it in tests. */
export interface AnnunciationSink {
  show(annunciation: Annunciation): void;
}

export interface AlarmControllerOptions {
  readonly clock: Clock;
  readonly annunciator: AnnunciationSink;
  readonly hushMs: number;
  readonly testDurationMs: number;
  /** Whether every sensor is healthy (the green LED). */
  readonly allSensorsHealthy: () => boolean;
  readonly logger: Logger;
}

export interface SilenceOutcome {
  readonly silenced: readonly ActiveAlarm[];
  readonly refused: readonly ActiveAlarm[];
}

type ChangeListener = (changes: readonly AlarmChange[]) => void;

export class AlarmController {
  readonly #options: AlarmControllerOptions;
  readonly #listeners = new Set<ChangeListener>();
  #book: AlarmBook = emptyBook;
  #timer: TimerHandle | undefined;
  #timerDue: number | undefined;
  #running = false;

  constructor(options: AlarmControllerOptions) {
    this.#options = options;
  }

  get book(): AlarmBook {
    return this.#book;
  }

  get active(): readonly ActiveAlarm[] {
    return [...this.#book.alarms.values()];
  }

  /** Subscribers hear about every change after the outputs have been driven. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#running = true;
    this.refresh();
  }

  stop(): void {
    this.#running = false;
    this.#cancelTimer();
  }

  handleConditions(events: readonly ConditionEvent[]): void {
    if (events.length === 0) return;
    const changes: AlarmChange[] = [];
    for (const event of events) {
      const applied = applyCondition(this.#book, event);
      this.#book = applied.book;
      changes.push(...applied.changes);
    }
    this.#commit(changes);
  }

  silence(): SilenceOutcome {
    const result = silence(this.#book, this.#options.clock.monotonic(), this.#options.hushMs);
    this.#book = result.book;
    this.#commit(result.changes);
    return {
      silenced: result.changes.filter((c) => c.type === 'silenced').map((c) => c.alarm),
      refused: result.changes.filter((c) => c.type === 'silence_refused').map((c) => c.alarm),
    };
  }

  test(): void {
    this.#book = startTest(this.#book, this.#options.clock.monotonic(), this.#options.testDurationMs);
    this.#commit([]);
  }

  /** The hush/test button, like a smoke alarm's: hush what sounds, or test when all is quiet. */
  buttonPressed(): void {
    const sounding = [...this.#book.alarms.values()].some((a) => isSounding(a) && a.severity !== 'info');
    if (sounding || this.#book.testUntil !== undefined) this.silence();
    else this.test();
  }

  /** Re-shows the outputs (sensor health changed: the green LED). */
  refresh(): void {
    if (!this.#running) return;
    this.#show();
  }

  #commit(changes: readonly AlarmChange[]): void {
    if (this.#running) {
      this.#show();
      this.#arm();
    }
    if (changes.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(changes);
      } catch (err) {
        this.#options.logger.error({ err }, 'alarm change listener failed');
      }
    }
  }

  #show(): void {
    const { annunciator, clock, allSensorsHealthy } = this.#options;
    annunciator.show(annunciationFor(this.#book, clock.monotonic(), allSensorsHealthy()));
  }

  /** One timer, at the next hush expiry or test end. */
  #arm(): void {
    const due = nextDeadline(this.#book);
    if (due === this.#timerDue) return;
    this.#cancelTimer();
    if (due === undefined) return;
    const { clock } = this.#options;
    this.#timerDue = due;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerDue = undefined;
      const result = tick(this.#book, clock.monotonic());
      this.#book = result.book;
      this.#commit(result.changes);
    }, Math.max(0, due - clock.monotonic()));
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDue = undefined;
  }
}
