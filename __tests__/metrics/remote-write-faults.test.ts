/** The remote-write client against a stand-in receiver that injects faults. */
import { describe, expect, it } from 'vitest';
import {
  MAX_ERROR_BODY_BYTES,
  remoteWrite,
  type RemoteWritePolicy,
} from '../../src/metrics/remote-write.js';
import { decodeWriteRequest, snappyUncompress } from '../../src/metrics/remote-write-proto.js';
import type { RemoteWriteTarget } from '../../src/metrics/remote-write-target.js';
import { remoteWriteTarget } from '../../src/pipeline/remote-write-options.js';
import { startFaultServer } from '../helpers/fault-server.js';
import { manyTests, prepareRun } from '../helpers/remote-write-run.js';

const fast: RemoteWritePolicy = { totalTimeoutMs: 8000, maxAttempts: 4, initialBackoffMs: 50 };
const run = await prepareRun({ branch: 'main', endedAt: 1_767_225_600.5 });

const plain = (url: string): RemoteWriteTarget => ({ url: new URL(url), headers: {}, secrets: [] });

/** The target of a remote-write URL and headers; fails the test when they are empty. */
function targetOf(url: string, headers = ''): RemoteWriteTarget {
  const parsed = remoteWriteTarget(url, headers);
  if (parsed === undefined) throw new Error(`no target for ${url}`);
  return parsed;
}

describe('remoteWrite on the wire', () => {
  it('POSTs a snappy protobuf WriteRequest with the 1.0 headers, credentials as basic auth', async () => {
    const server = await startFaultServer((_i, _req, res) => res.writeHead(204).end());
    try {
      const url = server.url.replace('http://', 'http://ci:s3cr%40t@') + '/api/v1/write';
      const target = targetOf(url, 'X-Scope-OrgID: team-a');
      const result = await remoteWrite(target, run.batches, fast);
      expect(result).toMatchObject({ ok: true, requests: 1, requestsTaken: 1, attempts: 1 });
      const [seen] = server.seen;
      expect(seen?.method).toBe('POST');
      expect(seen?.url).toBe('/api/v1/write');
      expect(seen?.headers).toMatchObject({
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
        'x-scope-orgid': 'team-a',
        authorization: `Basic ${Buffer.from('ci:s3cr@t').toString('base64')}`,
      });
      expect(seen?.headers['user-agent']).toMatch(/^reliability-metrics-action\//);
      const request = decodeWriteRequest(snappyUncompress(seen?.raw ?? Buffer.alloc(0)));
      expect(request.timeseries).toHaveLength(run.seriesCount);
      for (const series of request.timeseries) {
        const names = series.labels.map((l) => l.name);
        expect(names).toEqual([...names].sort());
        expect(names).toContain('__name__');
        expect(series.samples.map((sample) => sample.timestamp)).toEqual([1_767_225_600_500]);
      }
      expect(request.metadata.map((m) => m.metricFamilyName)).toContain('reliability_run_success');
    } finally {
      await server.close();
    }
  });

  it("reports a 4xx at once with the receiver's message, read only in part", async () => {
    const server = await startFaultServer((_i, _req, res) =>
      res.writeHead(400).end(`out of bounds: sample too old ${'x'.repeat(100_000)}`),
    );
    try {
      const result = await remoteWrite(plain(server.url), run.batches, fast);
      expect(result.ok).toBe(false);
      expect(result.attempts).toBe(1);
      expect(result.status).toBe(400);
      expect(result.error).toContain('out of bounds: sample too old');
      expect(result.error).toContain('too old or out of order');
      expect(result.error?.length).toBeLessThan(MAX_ERROR_BODY_BYTES);
    } finally {
      await server.close();
    }
  });

  it('retries a 5xx and succeeds', async () => {
    const server = await startFaultServer((i, _req, res) =>
      i < 2 ? res.writeHead(503).end('overloaded') : res.writeHead(200).end(),
    );
    try {
      const result = await remoteWrite(plain(server.url), run.batches, fast);
      expect(result).toMatchObject({ ok: true, attempts: 3 });
      expect(server.seen.map((s) => s.raw.equals(server.seen[0]?.raw ?? Buffer.alloc(0)))).toEqual([
        true,
        true,
        true,
      ]);
    } finally {
      await server.close();
    }
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const server = await startFaultServer((i, _req, res) =>
      i === 0
        ? res.writeHead(429, { 'Retry-After': '1' }).end('slow down')
        : res.writeHead(204).end(),
    );
    try {
      const started = Date.now();
      const result = await remoteWrite(plain(server.url), run.batches, fast);
      expect(result).toMatchObject({ ok: true, attempts: 2 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await server.close();
    }
  });

  it('refuses to follow a redirect, so credentials never travel', async () => {
    const elsewhere = await startFaultServer((_i, _req, res) => res.writeHead(204).end());
    const server = await startFaultServer((_i, _req, res) =>
      res.writeHead(307, { Location: `${elsewhere.url}/api/v1/write?key=hidden` }).end(),
    );
    try {
      const target = targetOf(server.url.replace('http://', 'http://u:p@'));
      const result = await remoteWrite(target, run.batches, fast);
      expect(result).toMatchObject({ ok: false, status: 307, attempts: 1 });
      expect(result.error).toContain('redirects are not followed');
      expect(result.error).toContain(`${elsewhere.url}/api/v1/write`);
      expect(result.error).not.toContain('hidden');
      expect(elsewhere.seen).toHaveLength(0);
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  it('gives up on a server that never answers within the time budget', async () => {
    const server = await startFaultServer(() => {
      // never answers
    });
    try {
      const started = Date.now();
      const result = await remoteWrite(plain(server.url), run.batches, {
        ...fast,
        totalTimeoutMs: 1500,
      });
      const took = Date.now() - started;
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/no answer/);
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(4000);
    } finally {
      await server.close();
    }
  });

  it('stops at the first request that cannot be delivered and says how many were taken', async () => {
    const big = await prepareRun({
      branch: 'main',
      endedAt: 1_767_225_600,
      tests: manyTests(5000),
      maxTestSeries: 5000,
    });
    const server = await startFaultServer((i, _req, res) =>
      i < 2 ? res.writeHead(204).end() : res.writeHead(401).end('invalid token'),
    );
    try {
      const result = await remoteWrite(plain(server.url), big.batches, fast);
      expect(result).toMatchObject({ ok: false, requests: big.batches.length, requestsTaken: 2 });
      expect(result.error).toContain('invalid token');
      expect(result.error).toContain('remote-write-headers');
    } finally {
      await server.close();
    }
  });
});

describe('remoteWriteTarget', () => {
  it('moves URL credentials into basic auth and returns every secret to mask', () => {
    const parsed = targetOf(
      'https://tenant:p%40ss@mimir.example.com/api/v1/push',
      'X-Scope-OrgID: team-a\n# comment\nAuthorization: Bearer abc',
    );
    expect(parsed.url.href).toBe('https://mimir.example.com/api/v1/push');
    // An explicit Authorization header wins over URL credentials.
    expect(parsed.headers).toEqual({
      'X-Scope-OrgID': 'team-a',
      Authorization: 'Bearer abc',
    });
    // Whole header values and the URL's password; the credential inside a value: headerSecrets.
    expect(parsed.secrets).toEqual(
      expect.arrayContaining(['team-a', 'Bearer abc', 'p@ss', 'p%40ss']),
    );
  });

  it('names the input and the fix on bad input', () => {
    expect(() => remoteWriteTarget('mimir:9009', '')).toThrow(/remote-write-url.*scheme/);
    expect(() => remoteWriteTarget('not a url', '')).toThrow(/remote-write-url.*valid URL/);
    expect(() => remoteWriteTarget('http://x/api/v1/write', 'no colon here')).toThrow(
      /remote-write-headers.*Name: value/,
    );
    expect(() => remoteWriteTarget('http://x/api/v1/write', 'Content-Encoding: gzip')).toThrow(
      /remote-write-headers.*set by the remote-write protocol/,
    );
    expect(remoteWriteTarget('  ', 'X: y')).toBeUndefined();
  });
});
