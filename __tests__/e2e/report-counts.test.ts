/**
 * Reading reports through the bundle, as the runner runs it: discovery that cannot hang, tests
 * of different packages kept apart, outputs that add up, a missing report that is an error.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../reports/helpers.js';
import { runAction, type ActionRun } from '../helpers/run-action.js';

/** A command that copies `files` (workspace path → source path) into place, as a suite would. */
function copyCommand(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([target, source]) => `mkdir -p "$(dirname '${target}')" && cp '${source}' '${target}'`)
    .join(' && ');
}

const count = (run: ActionRun, name: string): number => Number(run.outputs[name]);

describe('reports through the bundle', () => {
  it('discovery never hangs on symlink loops: verdict, outputs, summary and metrics file come out', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-loops-'));
    for (const dir of ['a', 'b']) {
      await mkdir(join(workspace, dir));
      await symlink('..', join(workspace, dir, 'up'));
    }
    const started = Date.now();
    const run = await runAction({
      inputs: { command: copyCommand({ 'junit.xml': fixture('junit/maven-surefire.xml') }) },
      workspace,
      timeoutMs: 60_000,
    });
    expect(run.signal, run.stderr).toBeNull();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.exitCode, run.stdout).toBe(0);
    // The report is read once, not once per path through the loops.
    expect(run.outputs['tests-total']).toBe('6');
    expect(run.summary.match(/^\| junit\.xml \|/gm)).toHaveLength(1);
    expect(existsSync(run.outputs['metrics-file'] ?? '')).toBe(true);
  });

  it('a failure in one package of a monorepo stays a failure, annotated at its own path', async () => {
    const staging = await mkdtemp(join(tmpdir(), 'rma-stage-'));
    const workspace = await mkdtemp(join(tmpdir(), 'rma-mono-'));
    const files: Record<string, string> = {};
    for (const [pkg, status] of [
      ['a', 'failed'],
      ['b', 'passed'],
    ] as const) {
      await mkdir(join(workspace, pkg, 'src'), { recursive: true });
      const report = {
        numTotalTests: 1,
        testResults: [
          {
            name: join(workspace, pkg, 'src/x.test.ts'),
            status,
            assertionResults: [
              {
                ancestorTitles: ['x'],
                title: 'works',
                status,
                duration: 3,
                failureMessages: status === 'failed' ? ['Error: expected 1, got 2'] : [],
                location: { line: 4, column: 3 },
              },
            ],
          },
        ],
      };
      await writeFile(join(staging, `${pkg}.json`), JSON.stringify(report));
      files[`${pkg}/jest.json`] = join(staging, `${pkg}.json`);
    }
    const run = await runAction({
      inputs: { command: `${copyCommand(files)} && exit 1` },
      workspace,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      'tests-total': '2',
      'tests-passed': '1',
      'tests-failed': '1',
      'tests-flaky': '0',
    });
    expect(run.stdout).toMatch(
      /::error title=failed%3A a\/src\/x\.test\.ts > x > works,file=a\/src\/x\.test\.ts,line=4::Error: expected 1, got 2/,
    );
  });

  it('the test outputs add up, flaky, xfailed, xpassed and other included', async () => {
    const run = await runAction({
      inputs: {
        command: copyCommand({
          'py/junit.xml': fixture('junit/pytest-rerun.xml'),
          'web/ctrf.json': fixture('ctrf/report.json'),
          'device/ctrf.json': fixture('ctrf/edge/other-status.json'),
        }),
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    // pytest-rerun.xml: 2 passed, 1 failed, 1 xfailed, 1 xpassed, 1 error. report.json: 3 passed,
    // 1 failed, 2 skipped, 1 flaky, 1 error. other-status.json: 1 passed, 1 other, 1 error.
    expect(run.outputs).toMatchObject({
      'tests-total': '17',
      'tests-passed': '6',
      'tests-failed': '6',
      'tests-skipped': '2',
      'tests-flaky': '1',
      'tests-xfailed': '1',
      'tests-other': '1',
    });
    const parts = ['passed', 'failed', 'skipped', 'flaky', 'xfailed', 'other'];
    expect(parts.reduce((sum, part) => sum + count(run, `tests-${part}`), 0)).toBe(
      count(run, 'tests-total'),
    );
    // The summary gives the same numbers, every failing status in bold.
    expect(run.summary).toContain(
      '6 passed · **2 failed** · **3 error** · 2 skipped · 1 xfailed · **1 xpassed** · 1 flaky · 1 other',
    );
    const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    expect(metrics).toContain('reliability_tests{status="other"} 1');
  });

  it('fail-on-report-error fails on a report-paths pattern that matches nothing, naming it', async () => {
    const run = await runAction({
      inputs: {
        command: copyCommand({ 'out/junit.xml': fixture('junit/maven-surefire.xml') }),
        'report-paths': 'out/junit.xml\nreports/*.xml',
        'fail-on-report-error': 'true',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::warning::Report pattern "reports/*.xml" in report-paths matched no file',
    );
    expect(run.stdout).toContain(
      '::error::1 report-paths pattern(s) matched no file (fail-on-report-error is true).',
    );
    expect(run.outputs['tests-total']).toBe('6');
  });
});
