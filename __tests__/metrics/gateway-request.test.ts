import { describe, expect, it } from 'vitest';
import { MAX_ANSWER_BODY_BYTES, requestOnce } from '../../src/metrics/gateway-request.js';
import { startFaultServer } from '../helpers/fault-server.js';
import { startListener } from '../helpers/tcp-listener.js';

const get = (url: string, extra: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
  requestOnce({
    method: 'GET',
    url: new URL(url),
    body: null,
    headers: {},
    timeoutMs: 5_000,
    ...extra,
  });

describe('requestOnce', () => {
  it('returns a redirect as the answer, Location resolved and stripped of credentials', async () => {
    const target = await startListener();
    const server = await startFaultServer((_i, _q, res) =>
      res.writeHead(307, { Location: `http://u:p@127.0.0.1:${target.port}/gw/-/ready` }).end(),
    );
    const relative = await startFaultServer((_i, _q, res) =>
      res.writeHead(301, { Location: '/other/-/ready' }).end(),
    );
    const answer = await get(`${server.url}/-/ready`);
    const second = await get(`${relative.url}/-/ready`);
    await Promise.all([server.close(), relative.close(), target.close()]);
    expect(answer).toMatchObject({ status: 307, location: `${target.url}/gw/-/ready` });
    expect(second.location).toBe(`${relative.url}/other/-/ready`);
    expect(target.connections()).toBe(0);
  });

  it(`reads at most ${MAX_ANSWER_BODY_BYTES} bytes of a body and says it was cut`, async () => {
    const server = await startFaultServer((_i, _q, res) => {
      res.writeHead(500);
      res.on('error', () => undefined);
      res.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
    });
    const answer = await get(server.url);
    await server.close();
    expect(answer.status).toBe(500);
    expect(answer.body).toHaveLength(MAX_ANSWER_BODY_BYTES);
    expect(answer.truncated).toBe(true);
  });

  it('ends at once when the signal aborts, in flight or before', async () => {
    const server = await startFaultServer(() => undefined); // never answers
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 200);
    const started = Date.now();
    const answer = await get(server.url, { signal: controller.signal, timeoutMs: 30_000 });
    const before = await get(server.url, { signal: AbortSignal.abort() });
    await server.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer).toMatchObject({ cancelled: true });
    expect(before).toMatchObject({ cancelled: true });
    expect(server.seen.length).toBeLessThanOrEqual(1);
  });

  it('bounds a silent gateway by the timeout', async () => {
    const server = await startFaultServer(() => undefined);
    const answer = await get(server.url, { timeoutMs: 300 });
    await server.close();
    expect(answer.networkError).toBe('no answer within 0.3 s');
  });
});
