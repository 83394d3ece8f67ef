/**
 * A GITHUB_OUTPUT the action cannot write (a full disk, a wrong path): the outputs are lost, not
 * the summary, the metrics file or the verdict; a warning says what happened.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/run-action.js';

describe('an unwritable GITHUB_OUTPUT', () => {
  it.each([
    ['a directory', async () => mkdtemp(join(tmpdir(), 'rma-output-dir-'))],
    ['a full disk (/dev/full)', () => Promise.resolve('/dev/full')],
  ])('%s: a warning, and the summary and the verdict still come out', async (_what, path) => {
    const output = await path();
    for (const [command, exitCode] of [
      ['echo tests ran', 0],
      ['exit 3', 1],
    ] as const) {
      const run = await runAction({ inputs: { command }, env: { GITHUB_OUTPUT: output } });
      expect(run.exitCode).toBe(exitCode);
      expect(run.stdout).toMatch(/::warning::Setting the outputs \(GITHUB_OUTPUT=.*\) failed: /);
      expect(run.summary).toContain('Setting the outputs');
      expect(run.summary).toMatch(exitCode === 0 ? /passed/ : /failed/);
      if (exitCode === 1) {
        expect(run.stdout).toContain('::error::The test command failed with exit code 3.');
      }
    }
  });
});
