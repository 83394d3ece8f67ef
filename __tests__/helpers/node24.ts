/** The Node 24 binary scripts/node24.mjs installed (npm test's pretest), without installing. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './run-action.js';

/** Path of a Node 24 binary, or undefined where there is none. */
export function node24Binary(): string | undefined {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'node24.mjs'), '--check'], {
    encoding: 'utf8',
  });
  const path = result.stdout.trim();
  return result.status === 0 && path !== '' ? path : undefined;
}
