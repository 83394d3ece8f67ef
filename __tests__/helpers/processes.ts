/** Process checks for tests that end process trees. */
import { readFileSync } from 'node:fs';

/**
 * Whether a process with this pid still runs: it exists (signal 0 checks without sending
 * anything) and, on Linux, is not a zombie (ended, waiting for its parent to read its status: an
 * orphan waits for the machine's init, which may take its time inside a container).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
