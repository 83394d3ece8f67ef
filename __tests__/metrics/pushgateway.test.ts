import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupPath } from '../../src/metrics/grouping.js';
import {
  describeNetworkError,
  gatewayUrl,
  parseRetryAfter,
  pushGroup,
  waitUntilReady,
  type RetryPolicy,
} from '../../src/metrics/pushgateway.js';
import { freePort, startPushgateway, type Service } from '../helpers/services.js';
import { startFaultServer } from '../helpers/fault-server.js';

const fast: RetryPolicy = {
  attemptTimeoutMs: 1000,
  totalTimeoutMs: 8000,
  maxAttempts: 4,
  initialBackoffMs: 50,
};
const noAuth = { headers: {} };
const body = '# TYPE demo_value gauge\ndemo_value 1\n';

describe('pushGroup against the real Pushgateway', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('replaces the group with every grouping value intact, slashes and Unicode included', async () => {
    const path = groupPath({
      job: 'rma test',
      labels: { branch: 'feat/x', suite: 'naïve ✓', empty: '' },
    });
    const target = { url: new URL(gateway.url), auth: noAuth };
    const first = await pushGroup(
      target,
      path,
      '# TYPE demo_value gauge\ndemo_value 1\ndemo_other 2\n',
      fast,
    );
    expect(first).toMatchObject({ ok: true, status: 200, attempts: 1 });
    await pushGroup(target, path, body, fast);
    const metrics = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as {
      data: { labels: Record<string, string>; demo_value?: unknown; demo_other?: unknown }[];
    };
    const group = metrics.data.find((g) => g.labels.job === 'rma test');
    expect(group?.labels).toEqual({
      job: 'rma test',
      branch: 'feat/x',
      suite: 'naïve ✓',
      empty: '',
    });
    expect(group?.demo_value).toBeDefined();
    expect(group?.demo_other).toBeUndefined(); // PUT replaced the whole group
  });

  it('reports the gateway’s own message for an inconsistent push (HTTP 400) without retrying', async () => {
    const target = { url: new URL(gateway.url), auth: noAuth };
    await pushGroup(
      target,
      groupPath({ job: 'a', labels: {} }),
      '# TYPE clash gauge\nclash 1\n',
      fast,
    );
    const result = await pushGroup(
      target,
      groupPath({ job: 'b', labels: {} }),
      '# TYPE clash counter\nclash 1\n',
      fast,
    );
    expect(result.ok).toBe(false);
    expect(result.status).toBe(400);
    expect(result.attempts).toBe(1);
    expect(result.error).toMatch(/HTTP 400.*clash/);
  });

  it('waits until the gateway is ready', async () => {
    const ready = await waitUntilReady({ url: new URL(gateway.url), auth: noAuth }, 5);
    expect(ready).toMatchObject({ ready: true, attempts: 1 });
  });
});

describe('pushGroup under faults', () => {
  it('retries 5xx with backoff until it succeeds', async () => {
    const server = await startFaultServer((i, _req, res) =>
      res.writeHead(i < 2 ? 500 : 200).end(i < 2 ? 'boom' : ''),
    );
    const result = await pushGroup(
      { url: new URL(server.url), auth: noAuth },
      '/metrics/job/x',
      body,
      fast,
    );
    await server.close();
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(server.seen.every((r) => r.method === 'PUT' && r.body === body)).toBe(true);
  });

  it('honours Retry-After on 503', async () => {
    const server = await startFaultServer((i, _req, res) =>
      i === 0 ? res.writeHead(503, { 'Retry-After': '1' }).end() : res.writeHead(202).end(),
    );
    const started = Date.now();
    const result = await pushGroup(
      { url: new URL(server.url), auth: noAuth },
      '/metrics/job/x',
      body,
      fast,
    );
    await server.close();
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not retry 401 and says what to check', async () => {
    const server = await startFaultServer((_i, _req, res) =>
      res.writeHead(401).end('Unauthorized'),
    );
    const result = await pushGroup(
      { url: new URL(server.url), auth: { username: 'u', password: 'p', headers: {} } },
      '/m',
      body,
      fast,
    );
    await server.close();
    expect(result).toMatchObject({ ok: false, status: 401, attempts: 1 });
    expect(result.error).toMatch(/pushgateway-username/);
    expect(server.seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
  });

  it('gives up on a slow gateway within the total bound', async () => {
    const server = await startFaultServer(() => undefined); // never answers
    const started = Date.now();
    const result = await pushGroup({ url: new URL(server.url), auth: noAuth }, '/m', body, {
      ...fast,
      attemptTimeoutMs: 300,
      totalTimeoutMs: 1000,
    });
    await server.close();
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/no answer/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('never quotes part of an echoed credential, even where the quote is cut', async () => {
    const token = 'tok-secret-value-123456';
    const server = await startFaultServer((_i, req, res) =>
      res
        .writeHead(403)
        .end(`${'x'.repeat(470)} Authorization: ${req.headers.authorization ?? ''} and more`),
    );
    const result = await pushGroup(
      { url: new URL(server.url), auth: { token, headers: {} } },
      '/m',
      body,
      fast,
    );
    await server.close();
    expect(result.error).toMatch(/Authorization: Bearer \*\*\* [a-z ]*… \(cut\)/);
    expect(result.error).not.toMatch(/tok-/);
  });

  it('retries a connection reset', async () => {
    const server = await startFaultServer((i, req, res) =>
      i === 0 ? req.socket.destroy() : res.writeHead(200).end(),
    );
    const result = await pushGroup(
      { url: new URL(server.url), auth: { token: 't0k', headers: {} } },
      '/m',
      body,
      fast,
    );
    await server.close();
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(server.seen[1]?.headers.authorization).toBe('Bearer t0k');
  });

  it('says the connection was refused when nothing listens', async () => {
    const port = await freePort();
    const result = await pushGroup(
      { url: new URL(`http://127.0.0.1:${port}`), auth: noAuth },
      '/m',
      body,
      { ...fast, maxAttempts: 2 },
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/connection refused/);
    const ready = await waitUntilReady(
      { url: new URL(`http://127.0.0.1:${port}`), auth: noAuth },
      1,
    );
    expect(ready.ready).toBe(false);
  });
});

describe('describeNetworkError', () => {
  const error = (code: string, message = code): NodeJS.ErrnoException =>
    Object.assign(new Error(message), { code });
  it('says what a user can do about each socket error', () => {
    expect(describeNetworkError(error('ENOTFOUND', 'getaddrinfo ENOTFOUND gw.invalid'))).toBe(
      'the host name could not be resolved (ENOTFOUND): check the URL',
    );
    expect(describeNetworkError(error('EAI_AGAIN'))).toMatch(/could not be resolved \(EAI_AGAIN\)/);
    expect(describeNetworkError(error('ECONNREFUSED'))).toMatch(/is the Pushgateway running/);
    expect(describeNetworkError(error('ECONNRESET'))).toMatch(/connection was reset/);
    expect(
      describeNetworkError(
        error('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      ),
    ).toMatch(/TLS error .*NODE_EXTRA_CA_CERTS/);
  });
});

describe('helpers', () => {
  it('keeps a path prefix of the gateway URL', () => {
    expect(gatewayUrl(new URL('https://gw.example/pushgateway/'), '/-/ready').href).toBe(
      'https://gw.example/pushgateway/-/ready',
    );
  });
  it('parses Retry-After in seconds and as a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
