/**
 * The baseline read from a real Prometheus fed by a real Pushgateway (a run's values repeated at
 * every scrape until the next run), and from one point per run: in a real VictoriaMetrics
 * (imported) and in a real Prometheus (blocks backfilled by promtool).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesSample } from '../../src/compare/types.js';
import { fetchBaselineHistory, type HistoryQuery } from '../../src/compare/history-query.js';
import { exposition, keyOn, runWithP95, stamped } from '../helpers/history-runs.js';
import { pushGroup } from '../stack/synthetic-run.js';
import {
  freePort,
  startPrometheus,
  startPushgateway,
  waitForQuery,
  type Service,
} from '../helpers/services.js';

const P95S = [0.002, 0.0021, 0.0019, 0.0022, 0.002];

function p95Of(samples: readonly SeriesSample[]): number | undefined {
  return samples.find((s) => s.metric === 'latency_seconds' && s.labels.stat === 'p95')?.value;
}

function query(before: number): HistoryQuery {
  return {
    prefix: 'reliability_',
    key: keyOn('main'),
    baselineRuns: 10,
    before,
    now: Date.now() / 1000,
    timeoutMs: 20_000,
  };
}

describe('baseline from a Pushgateway scraped by Prometheus', () => {
  let gateway: Service;
  let prometheus: Service;
  const ends: number[] = [];

  beforeAll(async () => {
    gateway = await startPushgateway();
    prometheus = await startPrometheus({ gateway: `127.0.0.1:${gateway.port}` });
    const key = keyOn('main');
    for (const [i, p95] of P95S.entries()) {
      const endedAt = Date.now() / 1000;
      ends.push(endedAt);
      const failing = i === 2 ? { tests: runWithP95(p95).tests } : {};
      const run = runWithP95(p95, failing);
      await pushGroup(
        gateway.url,
        key.job,
        key.labels,
        await exposition(run, 'main', String(100 + i), endedAt),
      );
      // Each run stays in the gateway for a few scrapes, as a real run would until the next one.
      await waitForQuery(
        prometheus.url,
        `reliability_run_timestamp_seconds{branch="main"} == ${endedAt}`,
      );
      await new Promise((r) => setTimeout(r, 1500));
    }
    // A run of another branch must not count.
    const other = keyOn('feature');
    await pushGroup(
      gateway.url,
      other.job,
      other.labels,
      await exposition(runWithP95(0.5), 'feature', '900', Date.now() / 1000),
    );
    await waitForQuery(prometheus.url, 'reliability_run_timestamp_seconds{branch="feature"}');
  }, 90_000);

  afterAll(async () => {
    await prometheus.stop();
    await gateway.stop();
  });

  it('finds each run once, newest first, with its own values', async () => {
    const target = { url: new URL(prometheus.url), headers: {} };
    const history = await fetchBaselineHistory(target, query(Date.now() / 1000 + 1));
    expect(history.branch).toBe('main');
    expect(history.runs.map((run) => run.endedAt)).toEqual(
      ends.toReversed().map((t): unknown => expect.closeTo(t, 3)),
    );
    expect(history.runs.map((run) => p95Of(run.samples))).toEqual(P95S.toReversed());
    const first = history.runs[0]?.samples ?? [];
    expect(
      first.filter((s) => s.metric === 'latency_seconds' && s.labels.stat === 'p95'),
    ).toHaveLength(1);
    expect(first.find((s) => s.metric === 'process_peak_rss_bytes')?.value).toBe(139 * 1048576);
    expect(first.some((s) => s.metric === 'test_case_status' && s.labels.status === 'failed')).toBe(
      true,
    );
  });

  it('leaves out runs that ended after the current run started, and keeps the newest N', async () => {
    const target = { url: new URL(prometheus.url), headers: {} };
    const cut = (ends[3] as number) - 0.001;
    const history = await fetchBaselineHistory(target, { ...query(cut), baselineRuns: 2 });
    expect(history.runs.map((run) => p95Of(run.samples))).toEqual([P95S[2], P95S[1]]);
  });

  it('finds nothing for a branch without runs', async () => {
    const target = { url: new URL(prometheus.url), headers: {} };
    const history = await fetchBaselineHistory(target, {
      ...query(Date.now() / 1000),
      key: keyOn('release'),
    });
    expect(history.runs).toEqual([]);
  });
});

describe('baseline from one point per run in VictoriaMetrics', () => {
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-vm-'));
    const port = await freePort();
    const child = spawn(
      'victoria-metrics',
      [
        `-storageDataPath=${join(dir, 'data')}`,
        `-httpListenAddr=127.0.0.1:${port}`,
        '-search.latencyOffset=0s',
        '-search.disableCache',
        '-loggerLevel=ERROR',
      ],
      { stdio: 'ignore' },
    );
    url = `http://127.0.0.1:${port}`;
    stop = async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${url}/health`).catch(() => undefined))?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const now = Date.now() / 1000;
    const key = keyOn('main');
    // Runs 20 minutes apart over the last two hours: each is one point, no scrape repeats it.
    for (const [i, p95] of P95S.entries()) {
      const endedAt = now - (P95S.length - i) * 1200;
      const text = stamped(
        await exposition(runWithP95(p95), 'main', String(200 + i), endedAt),
        endedAt,
        key,
      );
      const response = await fetch(`${url}/api/v1/import/prometheus`, {
        method: 'POST',
        body: text,
      });
      expect(response.status).toBe(204);
    }
    await fetch(`${url}/internal/force_flush`);
  }, 30_000);

  afterAll(async () => {
    await stop();
  });

  it('finds each run once with its own values', async () => {
    const target = { url: new URL(url), headers: {} };
    const history = await fetchBaselineHistory(target, query(Date.now() / 1000));
    expect(history.runs.map((run) => p95Of(run.samples))).toEqual(P95S.toReversed());
    expect(
      history.runs[0]?.samples.find((s) => s.metric === 'throughput_ops_per_second')?.value,
    ).toBe(9500);
  });
});

/** Orders OpenMetrics lines by series, keeping each series' samples in time order (a stable sort). */
function bySeries(a: string, b: string): number {
  const series = (line: string): string => line.split(' ').slice(0, -2).join(' ');
  return series(a).localeCompare(series(b));
}

describe('baseline from one point per run in Prometheus (backfilled blocks)', () => {
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-prom-points-'));
    const now = Date.now() / 1000;
    const key = keyOn('main');
    const lines: string[] = [];
    for (const [i, p95] of P95S.entries()) {
      const endedAt = now - (P95S.length - i) * 1200;
      const text = stamped(
        await exposition(runWithP95(p95), 'main', String(300 + i), endedAt),
        endedAt,
        key,
      );
      // OpenMetrics takes the timestamp in seconds.
      lines.push(
        ...text
          .split('\n')
          .map((line) => line.replace(/ (\d+)$/, (_, ms: string) => ` ${Number(ms) / 1000}`)),
      );
    }
    const input = join(dir, 'points.om');
    await writeFile(input, `${lines.sort(bySeries).join('\n')}\n# EOF\n`);
    const made = spawnSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', input, join(dir, 'data')],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr + made.stdout).toBe(0);
    await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    url = `http://127.0.0.1:${port}`;
    stop = async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true) break;
      expect(child.exitCode, log).toBeNull();
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    await stop();
  });

  it('finds each run once with its own values', async () => {
    const target = { url: new URL(url), headers: {} };
    const history = await fetchBaselineHistory(target, query(Date.now() / 1000));
    expect(history.runs.map((run) => p95Of(run.samples))).toEqual(P95S.toReversed());
  });
});
