/** Entry point of the `easygas` binary (bin/easygas.js imports the compiled file). */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // Commander has printed the usage error (or the help): only the exit code is left to set.
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode;
}
