/**
 * The .NET report formats through the whole action, as the runner runs it: the command writes the
 * report, auto-discovery finds it (`.trx` included), detection picks the parser from the content,
 * and the outputs, the summary and the metrics are the same model as for any other format.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/run-action.js';
import { fixture } from '../reports/helpers.js';

const CASES = [
  // file, format, target name, total, passed, failed (failed + error), skipped
  ['nunit3/nunit3-console.xml', 'nunit3', 'TestResult.xml', 15, 6, 6, 3],
  ['nunit2/nunit-console.xml', 'nunit2', 'TestResult.xml', 13, 7, 4, 2],
  ['xunit-net/xunit-console.xml', 'xunit-net', 'results.xml', 12, 6, 4, 2],
  ['trx/vstest-mstest.trx', 'trx', 'run-2024-05-14.trx', 12, 5, 5, 2],
] as const;

describe('the action on .NET reports', () => {
  it.each(CASES)(
    '%s is found, detected as %s and counted',
    async (file, format, target, total, passed, failed, skipped) => {
      const run = await runAction({
        inputs: { command: `mkdir -p TestResults && cp '${fixture(file)}' TestResults/${target}` },
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({
        'exit-code': '0',
        'tests-total': String(total),
        'tests-passed': String(passed),
        'tests-failed': String(failed),
        'tests-skipped': String(skipped),
      });
      expect(run.summary).toContain(`| TestResults/${target} | ${format} | ${total} |`);
      // The command's verdict decides the step; the failing tests are still reported.
      expect(run.summary).toContain('The command exited 0 but its reports hold failing tests.');
      const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
      expect(metrics).toContain(`reliability_tests{status="passed"} ${passed}`);
    },
  );

  it('figures recorded as NUnit properties and xUnit.net traits reach the metrics', async () => {
    for (const file of ['nunit3/nunit3-console.xml', 'xunit-net/xunit-console.xml']) {
      const run = await runAction({
        inputs: { command: `cp '${fixture(file)}' report.xml`, 'report-paths': 'report.xml' },
      });
      const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
      expect(metrics).toContain(
        'reliability_latency_seconds{test="Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget",operation="checkout",stat="p95"} 0.04825',
      );
    }
  });

  it('report-format names the format; a report of another format is an error naming it', async () => {
    const run = await runAction({
      inputs: {
        command: `cp '${fixture('nunit2/nunit-console.xml')}' report.xml`,
        'report-paths': 'report.xml',
        'report-format': 'trx',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['tests-total']).toBe('0');
    expect(run.stdout).toMatch(
      /report\.xml: invalid TRX at line 3: root element <test-results> is not <TestRun>/,
    );
  });
});
