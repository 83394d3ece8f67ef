/**
 * Golden summaries: the Markdown users read, rendered from real report fixtures (parsed and
 * merged by the real code) with fixed resources and push results, checked in under golden/ and
 * reviewed like code. A change to what users read shows in the diff.
 *
 * Regenerate after an intended change: UPDATE_GOLDEN=1 npx vitest run __tests__/summary
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import type { PushResult } from '../../src/metrics/pushgateway.js';
import type { Resources, RunResult } from '../../src/model.js';
import { reportWarning } from '../../src/pipeline/warnings.js';
import { collectReports } from '../../src/reports/collect.js';
import { render, type SummaryView } from '../../src/summary/render.js';

const GOLDEN = fileURLToPath(new URL('golden/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** A fixed resource profile: a ramp of memory, a CPU wave, two then three processes. */
function resources(): Resources {
  const samples = Array.from({ length: 40 }, (_, i) => ({
    t: i * 0.5,
    cpuPercent: 40 + 30 * Math.sin(i / 4),
    rssBytes: (60 + i * 2) * 1048576,
    processes: i < 20 ? 2 : 3,
  }));
  return {
    samples,
    peakRssBytes: 138 * 1048576,
    memoryGrowthBytes: 78 * 1048576,
    meanCpuPercent: 41.3,
    maxCpuPercent: 70,
    cpuSeconds: 8.1,
  };
}

const PUSHED: PushResult = {
  ok: true,
  method: 'PUT',
  path: '/metrics/job@base64/cmVsaWFiaWxpdHlfdGVzdHM',
  attempts: 1,
  durationMs: 38,
  bytes: 9000,
  status: 200,
};

interface Case {
  readonly patterns: readonly string[];
  readonly exitCode: number;
  readonly pushes?: readonly PushResult[];
}

/**
 * The fixtures of `patterns` in a fresh workspace, under the same relative paths, older to newer
 * in the order given: a checkout's modification times are arbitrary, the merge order must not be.
 */
async function workspace(patterns: readonly string[]): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'rma-golden-'));
  for (const [index, path] of patterns.entries()) {
    const source = join(FIXTURES, path);
    if (!existsSync(source)) continue;
    await mkdir(dirname(join(cwd, path)), { recursive: true });
    if (path.startsWith('jest-json/') || path.startsWith('vitest-json/')) {
      // Jest and Vitest write absolute test file paths, here those of the machine that made the
      // fixture: put them in this workspace, where a user's would be.
      const text = await readFile(source, 'utf8');
      await writeFile(
        join(cwd, path),
        text.replace(/"name": ?"[^"]*\/examples\/js-suite\//g, `"name":"${cwd}/`),
      );
    } else {
      await copyFile(source, join(cwd, path));
    }
    await utimes(join(cwd, path), 1_700_000_000 + index, 1_700_000_000 + index);
  }
  return cwd;
}

/** The view of a run whose reports are the fixtures of `spec.patterns`. */
async function view(spec: Case): Promise<SummaryView> {
  const cwd = await workspace(spec.patterns);
  const collected = await collectReports({ patterns: spec.patterns, cwd, format: 'auto' });
  const reportErrors = collected.reports.flatMap((r) =>
    r.error === undefined ? [] : [reportWarning(r)],
  );
  const pushes = spec.pushes ?? [PUSHED];
  const failedPushes = pushes.flatMap((push) =>
    push.ok
      ? []
      : [
          `Could not push the metrics to http://gateway.example:9091: ${push.error ?? ''}. The metrics are in /home/runner/work/_temp/reliability-metrics.prom.`,
        ],
  );
  const run: RunResult = {
    command: 'pytest --junitxml=reports/junit.xml tests/reliability',
    exitCode: spec.exitCode,
    timedOut: false,
    cancelled: false,
    startedAt: 1_760_000_000,
    durationSeconds: 19.5,
    resources: resources(),
    tests: collected.tests,
    figures: collected.figures,
    reports: collected.reports,
    warnings: [...collected.warnings, ...reportErrors, ...failedPushes],
  };
  return {
    run,
    gateway: 'http://gateway.example:9091',
    pushes,
    grouping:
      'job="reliability_tests", repository="acme/widgets", branch="main", workflow="Reliability", workflow_job="reliability-tests", suite="default"',
    series: 412,
    bytes: 48_213,
    metricsFile: '/home/runner/work/_temp/reliability-metrics.prom',
    droppedTests: 0,
    droppedFigures: 0,
    grafanaLink: 'https://grafana.example/d/reliability-overview?var-repository=acme%2Fwidgets',
    runLink: 'https://github.com/acme/widgets/actions/runs/4242',
  };
}

const CASES: Record<string, Case> = {
  passing: { patterns: ['junit/pytest-passing.xml'], exitCode: 0 },
  'failing-flaky-xfail-xpass': {
    patterns: ['pytest-json/report.json', 'jest-json/jest.json'],
    exitCode: 1,
  },
  figures: {
    patterns: [
      'junit/pytest-xunit2.xml',
      'pytest-benchmark/benchmark.json',
      'vitest-json/vitest.json',
    ],
    exitCode: 1,
  },
  'report-errors-and-warnings': {
    patterns: [
      'junit/gotestsum.xml',
      'junit/edge/truncated.xml',
      'junit/edge/malformed-figures.xml',
      // A JSON parse error is V8's own message, which differs between node versions: not here.
      'hostile/not-a-report.json',
      'reports/*.xml',
    ],
    exitCode: 1,
  },
  'failed-push': {
    patterns: ['junit/maven-surefire.xml', 'junit/maven-surefire-flaky.xml'],
    exitCode: 1,
    pushes: [
      {
        ok: false,
        method: 'PUT',
        path: '/metrics/job@base64/cmVsaWFiaWxpdHlfdGVzdHM',
        attempts: 3,
        durationMs: 15_020,
        bytes: 9000,
        status: 503,
        error: 'HTTP 503 Service Unavailable: gateway overloaded',
      },
    ],
  },
};

describe('golden summaries', () => {
  for (const [name, spec] of Object.entries(CASES)) {
    it(`${name} renders as golden/${name}.md`, async () => {
      const markdown = render(await view(spec));
      const file = join(GOLDEN, `${name}.md`);
      if (UPDATE || !existsSync(file)) {
        await writeFile(file, markdown);
        if (!UPDATE) throw new Error(`${file} was missing: written, review and commit it.`);
        return;
      }
      expect(
        markdown,
        `golden/${name}.md differs: if intended, run UPDATE_GOLDEN=1 npx vitest run __tests__/summary`,
      ).toBe(await readFile(file, 'utf8'));
    });
  }
});
