/**
 * How a long-running command (`easygas gateway`, `easygas demo`, `npm start`) ends:
 * the first SIGINT/SIGTERM stops it cleanly (outputs off, store flushed); a second one
 * exits at once. After the clean stop nothing may keep Node alive: the terminal's
 * stdin (the simulated hush button) is released, and if some other handle still holds
 * the process a moment later, it exits anyway, naming what held it.
 */
/** 128 + SIGINT: what a shell reports for a command interrupted by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
/** How long a finished command may wait for Node to run out of work before it is made to exit. */
export const LINGER_MS = 2_000;

export interface SignalWatch {
  /** Resolves with the first signal (at once if one came before this was called). */
  readonly first: Promise<NodeJS.Signals>;
  /** Stops listening (the handlers stay until then, so a second Ctrl-C while stopping exits). */
  close(): void;
}

/** Listens for SIGINT and SIGTERM from now on: the first stops, the second exits at once. */
export function watchSignals(): SignalWatch {
  let seen: NodeJS.Signals | undefined;
  let resolveFirst!: (signal: NodeJS.Signals) => void;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (seen === undefined) {
      seen = signal;
      // Said at once, even while still starting: a person at a terminal knows it was heard and what a second press does.
      if (signal === 'SIGINT') process.stderr.write('easygas: stopping cleanly (Ctrl-C again exits at once)\n');
      resolveFirst(signal);
      return;
    }
    process.stderr.write(`easygas: second ${signal}: exiting now, without a clean stop\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    first,
    close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Sets the exit code of a finished long-running command and makes sure the process
 * ends: normally Node runs out of work at once; a handle someone forgot (a socket, a
 * timer) must not keep a stopped gateway alive on a terminal or under systemd.
 */
export function exitWhenDone(code: number, lingerMs = LINGER_MS): void {
  process.exitCode = code;
  releaseStdin();
  setTimeout(() => {
    const held = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout');
    process.stderr.write(`easygas: stopped, but ${held.join(', ') || 'something'} still held the process: exiting\n`);
    process.exit(code);
  }, lingerMs).unref();
}

/** Lets go of the terminal's input: a stdin with a 'data' listener keeps Node alive forever. */
export function releaseStdin(): void {
  process.stdin.removeAllListeners('data');
  process.stdin.pause();
  if (process.stdin.isTTY) process.stdin.unref();
}
