/**
 * Remote-write receivers for tests, each a real process on 127.0.0.1 with a free port and its own
 * data dir: Prometheus with `--web.enable-remote-write-receiver` (optionally also scraping a
 * Pushgateway) and single-node VictoriaMetrics. Plus a reader of raw samples through their APIs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startProcess, type Service } from './services.js';

/** A receiver and the URL the action writes to. */
export interface Receiver extends Service {
  /** The remote-write endpoint. */
  readonly writeUrl: string;
  /** Makes freshly written samples visible to queries (a no-op for Prometheus). */
  flush(): Promise<void>;
}

/** Options of {@link startPrometheusReceiver}. */
export interface ReceiverOptions {
  /** Pushgateway host:port to scrape too (`honor_labels: true`). */
  readonly gateway?: string;
  readonly ruleFiles?: readonly string[];
  readonly scrapeInterval?: string;
}

/** Starts `prometheus` with its remote-write receiver on, at `/api/v1/write`. */
export async function startPrometheusReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const interval = options.scrapeInterval ?? '1s';
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'rule_files:',
    ...(options.ruleFiles ?? []).map((file) => `  - ${JSON.stringify(file)}`),
    ...(options.gateway === undefined
      ? ['scrape_configs: []']
      : [
          'scrape_configs:',
          '  - job_name: pushgateway',
          '    honor_labels: true',
          '    static_configs:',
          `      - targets: [${JSON.stringify(options.gateway)}]`,
        ]),
  ].join('\n');
  const service = await startProcess(
    'prometheus',
    (port, dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    async (dir) => {
      await writeFile(join(dir, 'prometheus.yml'), `${config}\n`);
    },
  );
  return { ...service, writeUrl: `${service.url}/api/v1/write`, flush: async () => {} };
}

/**
 * Starts single-node `victoria-metrics` with deduplication of identical timestamps; remote write at
 * `/api/v1/write`; queries see new data at once.
 */
export async function startVictoriaMetrics(): Promise<Receiver> {
  const service = await startProcess('victoria-metrics', (port, dir) => [
    `-storageDataPath=${join(dir, 'data')}`,
    `-httpListenAddr=127.0.0.1:${port}`,
    '-search.latencyOffset=0s',
    // As docs/stack.md advises: a request resent after a lost answer leaves one sample, not two.
    '-dedup.minScrapeInterval=1ms',
    '-search.disableCache',
    '-loggerLevel=ERROR',
  ]);
  return {
    ...service,
    writeUrl: `${service.url}/api/v1/write`,
    flush: async () => {
      await fetch(`${service.url}/internal/force_flush`);
    },
  };
}

/** One series with its raw samples (timestamps in ms). */
export interface RawSeries {
  readonly metric: Record<string, string>;
  readonly samples: { timestampMs: number; value: number }[];
}

/** The raw samples of `selector` over the last `window` (an instant query of a range vector). */
export async function rawSamples(
  url: string,
  selector: string,
  window = '1h',
): Promise<RawSeries[]> {
  const response = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      query: `${selector}[${window}]`,
      time: String(Date.now() / 1000 + 1),
    }).toString(),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  if (body.status !== 'success' || body.data === undefined) {
    throw new Error(`${selector}[${window}]: ${body.error ?? String(response.status)}`);
  }
  return body.data.result.map((series) => ({
    metric: series.metric,
    samples: series.values.map(([t, v]) => ({
      timestampMs: Math.round(t * 1000),
      value: Number(v),
    })),
  }));
}
