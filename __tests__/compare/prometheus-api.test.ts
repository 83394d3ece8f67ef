/** The query client against scripted faults: no redirect followed, bounded in time, clear errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { queryVector } from '../../src/compare/prometheus-api.js';
import { readCompareOptions } from '../../src/pipeline/compare-options.js';
import { startFaultServer } from '../helpers/fault-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function server(script: Parameters<typeof startFaultServer>[0]) {
  const started = await startFaultServer(script);
  closers.push(started.close);
  return started;
}

const VECTOR = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1, '2'] }] },
});

describe('queryVector', () => {
  it('posts the query with the headers and a path prefix kept', async () => {
    const api = await server((_, __, res) => res.end(VECTOR));
    const result = await queryVector(
      {
        url: new URL(`${api.url}/prometheus`),
        headers: { Authorization: 'Basic dTpw', 'X-Scope-OrgID': 'team-a' },
      },
      'up',
      1234,
      5000,
    );
    expect(result).toEqual([{ metric: { a: 'b' }, value: [1, '2'] }]);
    const [seen] = api.seen;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/prometheus/api/v1/query');
    expect(seen?.headers.authorization).toBe('Basic dTpw');
    expect(seen?.headers['x-scope-orgid']).toBe('team-a');
    expect(new URLSearchParams(seen?.body).get('query')).toBe('up');
    expect(new URLSearchParams(seen?.body).get('time')).toBe('1234');
  });

  it('never follows a redirect, so the credentials do not travel', async () => {
    const elsewhere = await server((_, __, res) => res.end(VECTOR));
    const api = await server((_, __, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/api/v1/query` });
      res.end();
    });
    await expect(
      queryVector(
        { url: new URL(api.url), headers: { Authorization: 'Bearer secret' } },
        'up',
        1,
        5000,
      ),
    ).rejects.toThrow(/redirect \(HTTP 302 to \/api\/v1\/query\), which is not followed/);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('gives up after its time bound on a server that never answers', async () => {
    const api = await server(() => {
      // never answers
    });
    const started = Date.now();
    await expect(queryVector({ url: new URL(api.url), headers: {} }, 'up', 1, 500)).rejects.toThrow(
      /no answer/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('explains refused credentials, a wrong path, a rejected query and a non-API answer', async () => {
    const answers = [
      [401, 'Unauthorized', /refused the credentials \(HTTP 401\)/],
      [404, 'not found', /nothing at that path \(HTTP 404\).*without \/api\/v1/],
      [
        400,
        JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }),
        /rejected \(bad_data\): parse error/,
      ],
      [200, '<html>login</html>', /not a Prometheus query API answer/],
    ] as const;
    for (const [status, body, message] of answers) {
      const api = await server((_, __, res) => {
        res.writeHead(status);
        res.end(body);
      });
      await expect(
        queryVector({ url: new URL(api.url), headers: {} }, 'up', 1, 5000),
      ).rejects.toThrow(message);
    }
  });
});

describe('readCompareOptions', () => {
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('moves credentials from the URL into an Authorization header', () => {
    const options = readCompareOptions(
      read({ 'prometheus-url': 'https://bob:s%40cret@mimir.example/prometheus' }),
    );
    expect(options.prometheusUrl?.href).toBe('https://mimir.example/prometheus');
    expect(options.prometheusHeaders.Authorization).toBe(
      `Basic ${Buffer.from('bob:s@cret').toString('base64')}`,
    );
  });

  it('has the documented defaults', () => {
    expect(readCompareOptions(read({}))).toEqual({
      prometheusHeaders: {},
      baselineBranch: '',
      baselineRuns: 10,
      baselineMinRuns: 3,
      threshold: 0.1,
      budgetsFile: '',
    });
  });

  it.each([
    [{ 'prometheus-url': 'ftp://x' }, /Input 'prometheus-url': scheme 'ftp:'/],
    [{ 'prometheus-headers': 'no colon' }, /Input 'prometheus-headers'/],
    [{ 'baseline-runs': '0' }, /Input 'baseline-runs': '0' is not valid/],
    [
      { 'baseline-runs': '5', 'baseline-min-runs': '6' },
      /Input 'baseline-min-runs': 6 is more than baseline-runs \(5\)/,
    ],
    [{ 'regression-threshold': 'ten' }, /Input 'regression-threshold'/],
  ])('rejects %j', (values, message) => {
    expect(() => readCompareOptions(read(values))).toThrow(message);
  });

  it('reads the threshold with or without %', () => {
    expect(readCompareOptions(read({ 'regression-threshold': '25%' })).threshold).toBe(0.25);
    expect(readCompareOptions(read({ 'regression-threshold': '5' })).threshold).toBe(0.05);
  });
});
