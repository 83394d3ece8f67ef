/** With ACTIONS_STEP_DEBUG the runner shows core.debug lines: the action marks each phase with one. */
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/run-action.js';

describe('the action’s debug lines', () => {
  it('marks every phase boundary of a run', async () => {
    const run = await runAction({ inputs: { command: 'true', 'report-paths': 'none.xml' } });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const phases = [...run.stdout.matchAll(/^::debug::Phase: ([a-z ]+)/gm)].map((m) =>
      m[1]?.trim(),
    );
    expect(phases).toEqual([
      'run the suite',
      'check the targets',
      'run the command',
      'read the reports',
      'build and write the metrics',
      'send the metrics and compare with the baseline',
      'done',
      'comment on the pull request',
      'publish the run',
    ]);
  });
});
