/** `easygas alarm test|silence`: the buzzer test and the hush, as the button does them. */
import { printJson, type CliIo } from './cli-io.js';
import { connectToGateway } from './connect.js';
import type { ReadOptions } from './read-commands.js';

interface SilenceAnswer {
  readonly silenced: readonly { key: string; message: string }[];
  readonly refused: readonly { key: string; message: string }[];
  readonly active: number;
}

export async function alarmTestCommand(options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const answer = await api.post<{ testing: boolean }>('/api/alarms/test');
  if (options.json === true) printJson(io, answer);
  else io.stdout.write('Alarm test: the buzzer and the red LED should sound/light now for the configured test duration.\n');
  return 0;
}

export async function alarmSilenceCommand(options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const answer = await api.post<SilenceAnswer>('/api/alarms/silence');
  if (options.json === true) printJson(io, answer);
  else {
    if (answer.silenced.length === 0 && answer.refused.length === 0) io.stdout.write('Nothing was sounding.\n');
    for (const a of answer.silenced) io.stdout.write(`Silenced: ${a.message} (it sounds again after the hush if the problem persists)\n`);
  }
  for (const a of answer.refused) {
    io.stderr.write(`easygas: cannot silence "${a.message}": the level is too high to hush.\n  Ventilate, shut the gas off at the cylinder, leave the building and call your gas supplier.\n`);
  }
  return answer.refused.length > 0 ? 1 : 0;
}
