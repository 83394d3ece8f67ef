/**
 * Real Pushgateway and Prometheus processes for tests: each on 127.0.0.1 with a free port,
 * its own temp dir, persistence file and TSDB path, stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A started service. */
export interface Service {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no port'));
        return;
      }
      server.close(() => {
        resolve(address.port);
      });
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${url}: process exited with ${child.exitCode}\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after 30 s\n${log()}`);
}

export async function startProcess(
  binary: string,
  args: (port: number, dir: string) => string[],
  prepare?: (dir: string) => Promise<void>,
  host = '127.0.0.1',
): Promise<Service> {
  const dir = await mkdtemp(join(tmpdir(), `rma-${binary}-`));
  await prepare?.(dir);
  const port = await freePort();
  const child = spawn(binary, args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, dir, stop };
}

/** Whether this machine has an IPv6 loopback (`::1`) to listen on. */
export async function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(0, '::1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** Starts `prometheus-pushgateway` with its own persistence file, on 127.0.0.1 unless told. */
export async function startPushgateway(host = '127.0.0.1'): Promise<Service> {
  const listen = host.includes(':') ? `[${host}]` : host;
  return startProcess(
    'prometheus-pushgateway',
    (port, dir) => [
      `--web.listen-address=${listen}:${port}`,
      `--persistence.file=${join(dir, 'pushgateway.data')}`,
      '--persistence.interval=1s',
      '--log.level=warn',
    ],
    undefined,
    host,
  );
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** Pushgateway host:port to scrape with `honor_labels: true`. */
  readonly gateway: string;
  /** Rule files to load (absolute paths). */
  readonly ruleFiles?: readonly string[];
  readonly scrapeInterval?: string;
}

/** Starts `prometheus` scraping the gateway every second, with its own TSDB path. */
export async function startPrometheus(options: PrometheusOptions): Promise<Service> {
  const interval = options.scrapeInterval ?? '1s';
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'rule_files:',
    ...(options.ruleFiles ?? []).map((file) => `  - ${JSON.stringify(file)}`),
    'scrape_configs:',
    '  - job_name: pushgateway',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: [${JSON.stringify(options.gateway)}]`,
  ].join('\n');
  return startProcess(
    'prometheus',
    (port, dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    async (dir) => {
      await writeFile(join(dir, 'prometheus.yml'), `${config}\n`);
    },
  );
}

/** One series of an instant-query answer. */
export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** Runs an instant query; throws with Prometheus' error text when the query is invalid. */
export async function query(prometheusUrl: string, promql: string): Promise<PromSeries[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: promql }).toString(),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: PromSeries[] | [number, string] };
  };
  if (body.status !== 'success' || body.data === undefined) {
    throw new Error(`query ${promql} failed: ${body.error ?? response.status}`);
  }
  if (body.data.resultType === 'scalar') {
    return [{ metric: {}, value: body.data.result as [number, string] }];
  }
  return body.data.result as PromSeries[];
}

/** Polls `promql` until `accept` holds for its result (Prometheus scrapes on its own clock). */
export async function waitForQuery(
  prometheusUrl: string,
  promql: string,
  accept: (series: PromSeries[]) => boolean = (series) => series.length > 0,
  timeoutMs = 20_000,
): Promise<PromSeries[]> {
  const deadline = Date.now() + timeoutMs;
  let last: PromSeries[] = [];
  while (Date.now() < deadline) {
    last = await query(prometheusUrl, promql);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${promql}; last answer: ${JSON.stringify(last)}`);
}
