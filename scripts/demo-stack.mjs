/**
 * The throwaway stack of `npm run demo`: a Pushgateway and a Prometheus with its remote-write
 * receiver on, from the Debian packages, on free loopback ports in a temp dir, and the queries
 * that show what they hold.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binaries the stack needs, and whether each is on PATH. */
export function stackBinaries() {
  const names = ['prometheus', 'prometheus-pushgateway'];
  const missing = names.filter(
    (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status !== 0,
  );
  return { names, missing };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child, name) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} not ready at ${url} after 30 s`);
}

/**
 * Starts the gateway and Prometheus (scraping the gateway every second). The gateway's series
 * get `path="gateway"` at scrape time, so the two copies of one run stay apart in one Prometheus.
 */
export async function startDemoStack() {
  const dir = mkdtempSync(join(tmpdir(), 'rma-demo-stack-'));
  const [gatewayPort, prometheusPort] = [await freePort(), await freePort()];
  const children = [];
  const start = (binary, args) => {
    const child = spawn(binary, args, { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      `    static_configs: [{ targets: ['127.0.0.1:${gatewayPort}'] }]`,
      '    relabel_configs: [{ target_label: path, replacement: gateway }]',
      '',
    ].join('\n'),
  );
  const gateway = { url: `http://127.0.0.1:${gatewayPort}` };
  const prometheus = {
    url: `http://127.0.0.1:${prometheusPort}`,
    writeUrl: `http://127.0.0.1:${prometheusPort}/api/v1/write`,
  };
  try {
    const gw = start('prometheus-pushgateway', [
      `--web.listen-address=127.0.0.1:${gatewayPort}`,
      '--log.level=warn',
    ]);
    const prom = start('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ]);
    await waitReady(gateway.url, gw, 'prometheus-pushgateway');
    await waitReady(prometheus.url, prom, 'prometheus');
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, gateway, prometheus, stop };
}

/** Runs an instant query; returns [{ metric, value }] or, for a range vector, [{ metric, values }]. */
export async function promQuery(prometheusUrl, query) {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, time: String(Date.now() / 1000) }).toString(),
  });
  const body = await response.json();
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

/**
 * Waits until Prometheus has scraped the gateway after `sinceMs` (Prometheus loads new targets
 * about 5 s after it starts, so a fixed pause can end before the first scrape). False when it
 * has not within `timeoutMs`.
 */
export async function waitForGatewayScrape(prometheusUrl, sinceMs, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${prometheusUrl}/api/v1/targets`);
    const { data } = await response.json();
    const target = data.activeTargets.find((t) => t.labels.job === 'pushgateway');
    if (target?.health === 'up' && Date.parse(target.lastScrape) > sinceMs) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
