/** The summary's two memory growths (the tree's, a test's own figure) are told apart. */
import { describe, expect, it } from 'vitest';
import { render } from '../../src/summary/render.js';
import { sampleRun } from '../helpers/sample-run.js';

describe('memory growth in the summary', () => {
  it('names the tree’s RSS growth and the figure a test recorded differently', () => {
    const summary = render({
      run: sampleRun(),
      pushes: [],
      grouping: 'job="reliability_tests"',
      series: 1,
      bytes: 1,
      metricsFile: '/tmp/m.prom',
      droppedTests: 0,
      droppedFigures: 0,
    });
    expect(summary).toContain('| RSS growth (first to last sample) |');
    expect(summary).toMatch(/\| memory growth \(recorded by the test\) \| 5\.0 MiB \|/);
    expect(summary).not.toMatch(/\| Memory growth \|/);
  });
});
