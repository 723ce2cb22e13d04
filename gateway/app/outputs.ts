/**
 * Opens the buzzer, the LEDs and the hush button from the config. An output that
 * cannot be opened is logged loudly with its fix and left out — the daemon keeps
 * protecting with what it has (the other outputs, MQTT, the cloud) rather than
 * refusing to run at all.
 */
import { PatternPlayer } from '../../hardware/drivers/pattern-player.js';
import { debounceInput } from '../../hardware/gpio/debounce.js';
import type { DigitalInput } from '../../hardware/ports/digital.js';
import type { AlarmController } from '../alarms/alarm-controller.js';
import { Annunciator, type AnnunciatorOutputs } from '../alarms/annunciator.js';
import type { GatewayConfig } from '../config/schema.js';
import type { AppLogger } from '../logging.js';
import type { HardwareKit } from './hardware-kit.js';

export interface OutputStatus {
  readonly name: string;
  readonly gpio: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly hint?: string;
}

export interface Outputs {
  readonly annunciator: Annunciator;
  readonly status: readonly OutputStatus[];
  /** Wires the hush/test button to the controller; resolves once it is listening. */
  attachButton(controller: AlarmController): Promise<void>;
  /** Every output off and released, the button closed. */
  close(): Promise<void>;
}

export async function openOutputs(config: GatewayConfig, kit: HardwareKit, rootLogger: AppLogger): Promise<Outputs> {
  const logger = rootLogger.child({ component: 'outputs' });
  const status: OutputStatus[] = [];
  const players: { -readonly [K in keyof AnnunciatorOutputs]: PatternPlayer } = {};
  const lines = { buzzer: config.outputs.buzzer, red: config.outputs.ledRed, green: config.outputs.ledGreen };
  for (const [which, line] of Object.entries(lines) as [keyof AnnunciatorOutputs, (typeof lines)['buzzer']][]) {
    if (line === undefined) continue;
    try {
      const output = await kit.gpio.openOutput(line.gpio, { activeLow: line.activeLow });
      players[which] = new PatternPlayer(output, { clock: kit.clock, logger: logger.child({ output: which }) });
      status.push({ name: which, gpio: line.gpio, ok: true });
    } catch (err) {
      const { message, hint } = describe(err);
      logger.error({ output: which, gpio: line.gpio, hint }, `cannot open the ${which === 'buzzer' ? 'buzzer' : `${which} LED`}: ${message}`);
      status.push({ name: which, gpio: line.gpio, ok: false, error: message, ...(hint !== undefined ? { hint } : {}) });
    }
  }
  const annunciator = new Annunciator(players, rootLogger.child({ component: 'annunciator' }));
  let button: DigitalInput | undefined;

  return {
    annunciator,
    status,
    async attachButton(controller) {
      const spec = config.outputs.hushButton;
      if (spec === undefined) return;
      try {
        const raw = await kit.gpio.openInput(spec.gpio, { activeLow: spec.activeLow });
        button = debounceInput(raw, { ms: spec.debounce, clock: kit.clock });
        button.watch((level) => {
          if (level !== 1) return;
          logger.info({ gpio: spec.gpio }, 'hush/test button pressed');
          controller.buttonPressed();
        });
        status.push({ name: 'hushButton', gpio: spec.gpio, ok: true });
      } catch (err) {
        const { message, hint } = describe(err);
        logger.error({ gpio: spec.gpio, hint }, `cannot open the hush button: ${message}`);
        status.push({ name: 'hushButton', gpio: spec.gpio, ok: false, error: message, ...(hint !== undefined ? { hint } : {}) });
      }
    },
    async close() {
      await button?.close().catch(() => undefined);
      await annunciator.close();
    },
  };
}

function describe(err: unknown): { message: string; hint?: string } {
  const message = err instanceof Error ? err.message : String(err);
  const hint = typeof err === 'object' && err !== null && 'hint' in err && typeof err.hint === 'string' ? err.hint : undefined;
  return hint === undefined ? { message } : { message, hint };
}
