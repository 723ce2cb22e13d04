/**
 * Drives the buzzer and the LEDs from an Annunciation. Synchronous on purpose:
 * PatternPlayer.play() starts the pattern and returns, so the alarm path never
 * waits on a GPIO write, let alone on disk or network.
 */
import type { PatternPlayer } from '../../hardware/drivers/pattern-player.js';
import type { Logger } from '../../hardware/logger.js';
import type { Annunciation, LedSignal, BuzzerSignal } from './annunciation.js';
import { BUZZER_PATTERNS, LED_PATTERNS } from './signal-patterns.js';

export interface AnnunciatorOutputs {
  readonly buzzer?: PatternPlayer;
  readonly red?: PatternPlayer;
  readonly green?: PatternPlayer;
}

export class Annunciator {
  readonly #outputs: AnnunciatorOutputs;
  readonly #logger: Logger;
  #current: Annunciation | undefined;

  constructor(outputs: AnnunciatorOutputs, logger: Logger) {
    this.#outputs = outputs;
    this.#logger = logger;
  }

  get current(): Annunciation | undefined {
    return this.#current;
  }

  show(next: Annunciation): void {
    const previous = this.#current;
    this.#current = next;
    if (previous?.buzzer !== next.buzzer) {
      const pattern = next.buzzer === 'off' ? undefined : BUZZER_PATTERNS[next.buzzer];
      // The journal should say what the house heard, and when.
      if (pattern === undefined) this.#logger.info({ buzzer: 'off' }, 'buzzer off');
      else this.#logger.warn({ buzzer: next.buzzer, pattern: pattern.name }, `buzzer: ${next.buzzer.replace('_', ' ')} (${pattern.name})`);
      this.#drive('buzzer', pattern);
    }
    if (previous?.red !== next.red) this.#drive('red', led(next.red));
    if (previous?.green !== next.green) this.#drive('green', led(next.green));
  }

  /** Every output off and released (shutdown). Resolves when the OFF writes landed. */
  async close(): Promise<void> {
    this.#current = undefined;
    const players = [this.#outputs.buzzer, this.#outputs.red, this.#outputs.green].filter((p) => p !== undefined);
    await Promise.all(players.map((p) => p.close()));
  }

  #drive(which: keyof AnnunciatorOutputs, pattern: (typeof BUZZER_PATTERNS)[Exclude<BuzzerSignal, 'off'>] | undefined): void {
    const player = this.#outputs[which];
    if (player === undefined) return;
    try {
      if (pattern === undefined) {
        player.stop().catch((err: unknown) => this.#logger.error({ err, output: which }, 'could not switch output off'));
      } else {
        player.play(pattern);
      }
    } catch (err) {
      this.#logger.error({ err, output: which }, 'could not drive output');
    }
  }
}

function led(signal: LedSignal) {
  return signal === 'off' ? undefined : LED_PATTERNS[signal];
}
