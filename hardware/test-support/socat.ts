import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A pseudo-terminal pair joined by socat (HARDWARE.md "Toolchain facts"): what one
 * end writes, the other reads, through the kernel's real tty layer. Tests open
 * both links with the real serialport.
 */

export interface PtyPair {
  /** `<dir>/ttyA`, a symlink to one /dev/pts/N. */
  readonly a: string;
  /** `<dir>/ttyB`, its partner. */
  readonly b: string;
  /** socat's pid (kill it to simulate an unplugged cable: both ends see their port vanish). */
  readonly pid: number;
  /** Kills socat and resolves when it has exited. */
  close(): Promise<void>;
}

export const SOCAT_MISSING = 'socat is required for the real-serial test: apt-get install socat';

export function socatAvailable(): boolean {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=<dir>/ttyA pty,raw,echo=0,link=<dir>/ttyB`
 * and resolves once socat has announced both PTYs and its transfer loop on stderr;
 * rejects with socat's stderr if it exits first or takes longer than `timeoutMs`.
 */
export function createPtyPair(dir: string, timeoutMs = 5000): Promise<PtyPair> {
  const a = join(dir, 'ttyA');
  const b = join(dir, 'ttyB');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise((resolve, reject) => {
    let stderr = '';
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      child.stderr.removeListener('data', onData);
      child.stderr.resume(); // keep draining so socat never blocks on a full pipe
      return true;
    };
    const succeed = (pid: number): void => {
      if (finish()) resolve({ a, b, pid, close });
    };
    const fail = (error: Error): void => {
      if (!finish()) return;
      // A socat that never started has nothing to wait for.
      if (child.pid === undefined) reject(error);
      else void close().then(() => reject(error));
    };
    const onData = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
      const ptys = (stderr.match(/ N PTY is \S+/g) ?? []).length;
      if (ptys >= 2 && /starting data transfer loop/.test(stderr) && child.pid !== undefined) succeed(child.pid);
    };
    const timer = setTimeout(
      () => fail(new Error(`socat did not set up the pty pair within ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr.on('data', onData);
    child.once('error', (err) => fail(new Error(`${SOCAT_MISSING} (${err.message})`, { cause: err })));
    child.once('exit', (code, signal) =>
      fail(new Error(`socat exited (${signal ?? `code ${code}`}) before the ptys were ready:\n${stderr}`)),
    );
  });
}

/**
 * For tests that need socat: true when it is installed. Otherwise the test fails on
 * CI (CI=true), where a silently skipped real-serial test would hide regressions,
 * and is skipped loudly elsewhere.
 */
export function requireSocat(t: { diagnostic(message: string): void; skip(message?: string): void }): boolean {
  if (socatAvailable()) return true;
  if (process.env.CI === 'true') throw new Error(SOCAT_MISSING);
  t.diagnostic(`SKIPPED: ${SOCAT_MISSING}`);
  t.skip(SOCAT_MISSING);
  return false;
}
