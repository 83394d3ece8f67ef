import { describe, expect, it } from 'vitest';

import { stepFailures } from '../../src/pipeline/verdict.js';
import { sampleRun } from '../helpers/sample-run.js';

const inputs = {
  failOnTestFailure: false,
  failOnPushError: false,
  failOnReportError: true,
  pushgatewayUrl: undefined,
};

describe('stepFailures with fail-on-report-error', () => {
  it('fails on a report-paths pattern that matched no file, and on unparsable reports', () => {
    const run = sampleRun({
      reports: [
        { path: 'report.xml', format: 'junit', tests: 6, figures: 8, bytes: 4096 },
        { path: 'bad.xml', tests: 0, figures: 0, bytes: 10, error: 'bad.xml: invalid JUnit XML' },
        {
          path: 'reports/*.xml',
          tests: 0,
          figures: 0,
          bytes: 0,
          error: 'no file',
          unmatchedPattern: true,
        },
      ],
    });
    expect(stepFailures(inputs, run, false)).toEqual([
      '1 report file(s) could not be parsed and 1 report-paths pattern(s) matched no file (fail-on-report-error is true).',
    ]);
    const onlyMissing = sampleRun({
      reports: [
        { path: 'r/*.xml', tests: 0, figures: 0, bytes: 0, error: 'x', unmatchedPattern: true },
      ],
    });
    expect(stepFailures(inputs, onlyMissing, false)).toEqual([
      '1 report-paths pattern(s) matched no file (fail-on-report-error is true).',
    ]);
    expect(stepFailures(inputs, sampleRun(), false)).toEqual([]);
  });
});
