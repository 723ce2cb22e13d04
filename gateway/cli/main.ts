/** Entry point of the `easygas` binary (bin/easygas.js imports the compiled file). */
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
