import { describe, expect, it } from 'vitest';
import type { TestCase } from '../../src/model.js';
import { render, type SummaryView } from '../../src/summary/render.js';
import { cell, formatBytes, formatDuration, formatLatency } from '../../src/summary/format.js';
import { sampleRun } from '../helpers/sample-run.js';

const view = (overrides: Partial<SummaryView> = {}): SummaryView => ({
  run: sampleRun(),
  gateway: 'http://gw.example:9091',
  pushes: [
    {
      ok: true,
      method: 'PUT',
      path: '/metrics/job@base64/x',
      attempts: 1,
      durationMs: 42,
      bytes: 9000,
      status: 200,
    },
  ],
  grouping: 'job="reliability_tests", branch="feat/x"',
  series: 57,
  bytes: 9000,
  metricsFile: '/tmp/reliability-metrics.prom',
  droppedTests: 0,
  droppedFigures: 0,
  ...overrides,
});

describe('render', () => {
  it('opens with the verdict line: counts, duration, peak memory, mean CPU', () => {
    const text = render(view());
    const [heading, , facts] = text.split('\n');
    expect(heading).toBe('## ❌ Reliability tests failed (exit code 1)');
    expect(facts).toBe(
      '3 passed · **1 failed** · 1 skipped · 1 flaky — 6.25 s — peak memory 139.0 MiB — mean CPU 55%',
    );
  });

  it('lists failed tests with location and first message line, and flaky tests apart', () => {
    const text = render(view());
    expect(text).toContain(
      '| tests.test\\_api.TestApi.test\\_post | failed | tests/test\\_api.py:20 | AssertionError: 500 != 200 |',
    );
    expect(text).toContain('### Flaky tests');
    expect(text).toMatch(/\| tests.test\\_api.test\\_retry \| 2 \|/);
  });

  it('shows the slowest tests first', () => {
    const text = render(view());
    const slowest = text.slice(text.indexOf('### Slowest tests'));
    expect(slowest.indexOf('test\\_slow')).toBeLessThan(slowest.indexOf('test\\_get'));
    expect(slowest).toContain('4.50 s');
  });

  it('tabulates recorded latency and throughput by operation', () => {
    const text = render(view());
    expect(text).toContain('| observe\\_decorator | 400 µs | 2.10 ms |  |  | 9500 ops/s |');
    expect(text).toContain('| queue\\_depth | 7 |');
  });

  it('draws memory and CPU charts with Mermaid xychart-beta, downsampled', () => {
    const text = render(view());
    const charts = text.match(/```mermaid\nxychart-beta[\s\S]*?```/g) ?? [];
    expect(charts).toHaveLength(2);
    const line = /line \[([^\]]*)\]/.exec(charts[0] ?? '')?.[1]?.split(', ') ?? [];
    expect(line.length).toBeLessThanOrEqual(60);
    expect(Math.max(...line.map(Number))).toBeCloseTo(139, 0);
  });

  it('says where the metrics went, and why not when the push failed', () => {
    expect(render(view())).toContain('✅ Pushed to http://gw.example:9091');
    const failed = render(
      view({
        pushes: [
          {
            ok: false,
            method: 'PUT',
            path: '/x',
            attempts: 5,
            durationMs: 9000,
            bytes: 1,
            error: 'connection refused: nothing listens',
          },
        ],
      }),
    );
    expect(failed).toContain(
      '❌ Push to http://gw.example:9091 failed after 5 attempts: connection refused',
    );
    expect(failed).toContain('/tmp/reliability-metrics.prom');
    const noGateway: SummaryView = { ...view(), pushes: [] };
    delete (noGateway as { gateway?: string }).gateway;
    expect(render(noGateway)).toContain('Not pushed: `pushgateway-url` is not set.');
  });

  it('shows the remote write beside the gateway, or alone, taken or not', () => {
    const written = {
      ok: true,
      url: 'https://mimir.example/api/v1/push',
      requests: 1,
      requestsTaken: 1,
      series: 57,
      bytes: 2100,
      attempts: 1,
      durationMs: 80,
    };
    const both = render(view({ remoteWrite: written }));
    expect(both).toContain('✅ Pushed to http://gw.example:9091');
    expect(both).toContain(
      "✅ Remote-wrote 57 series to https://mimir.example/api/v1/push, one point each at the run's end",
    );
    const alone: SummaryView = {
      ...view(),
      pushes: [],
      remoteWrite: {
        ...written,
        ok: false,
        requests: 3,
        requestsTaken: 1,
        attempts: 4,
        status: 401,
        error: 'the receiver refused the credentials (HTTP 401): no tenant',
      },
    };
    delete (alone as { gateway?: string }).gateway;
    const text = render(alone);
    expect(text).not.toContain('Not pushed: `pushgateway-url` is not set.');
    expect(text).toContain(
      '❌ Remote write to https://mimir.example/api/v1/push failed after 4 attempts (1 of 3 requests taken): the receiver refused the credentials (HTTP 401): no tenant',
    );
  });

  it('links Grafana and the run when given', () => {
    const text = render(
      view({
        grafanaLink: 'https://grafana.example/d/reliability-overview?var-branch=main',
        runLink: 'https://github.com/a/b/actions/runs/1',
      }),
    );
    expect(text).toContain(
      '[Open the Grafana dashboard](https://grafana.example/d/reliability-overview?var-branch=main)',
    );
  });

  it('stays far under 1 MiB for a suite of 200k failing tests with huge names', () => {
    const huge: TestCase[] = Array.from({ length: 200_000 }, (_, i) => ({
      id: `t${i}${'x'.repeat(2000)}`,
      name: 'n',
      classname: 'c',
      status: 'failed',
      durationSeconds: i,
      message: 'm'.repeat(10_000),
    }));
    const text = render(
      view({
        run: sampleRun({
          tests: huge,
          warnings: Array.from({ length: 5000 }, () => 'w'.repeat(1000)),
        }),
      }),
    );
    expect(Buffer.byteLength(text)).toBeLessThan(200 * 1024);
    expect(text).toContain('…and 199950 more.');
  });

  it('cannot be broken or injected into by a test name', () => {
    const text = render(
      view({
        run: sampleRun({
          tests: [
            { id: 'a|b\n<script>alert(1)</script>`x`', name: 'x', classname: '', status: 'failed' },
          ],
        }),
      }),
    );
    expect(text).not.toContain('<script>');
    expect(text).toContain('a&#124;b &lt;script&gt;');
  });
});

describe('format', () => {
  it('reads like a person would write it', () => {
    expect(formatDuration(0.25)).toBe('250 ms');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatLatency(0.0000043)).toBe('4.30 µs');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(cell('a_b|c')).toBe('a\\_b&#124;c');
  });
});
