/** What "Add a gateway" shows: the exact command for the Pi, and how long the code has left. */

/**
 * Run as the gateway's service user (the installer's `easygas`), so the credential
 * file belongs to the daemon that reads it.
 */
export function provisionCommand(cloudOrigin: string, code: string): string {
  return `sudo -u easygas easygas provision --cloud ${cloudOrigin} --code ${code}`;
}

/** "14:59", "0:05", or undefined once expired. */
export function countdown(expiresAt: number, now: number): string | undefined {
  const left = Math.ceil((expiresAt - now) / 1000);
  if (left <= 0) return undefined;
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}
