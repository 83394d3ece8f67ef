/**
 * Faults of the gateway, met by the real bundled action: a small in-process server injects them.
 * Whatever the gateway does, the step's result is the test command's (unless fail-on-push-error),
 * the metrics file is written, and the summary and a warning say what happened.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../helpers/run-action.js';
import { startFaultServer } from '../helpers/fault-server.js';
import { startListener } from '../helpers/tcp-listener.js';
import { makeCertificates } from '../helpers/tls.js';

/** Answers /-/ready with 200 and every push with `push(index among pushes)`. */
function gateway(push: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let pushes = 0;
  return (_i: number, req: IncomingMessage, res: ServerResponse): void => {
    if (req.url === '/-/ready') res.writeHead(200).end('OK');
    else push(pushes++, req, res);
  };
}

const inputs = (url: string, extra: Record<string, string> = {}): Record<string, string> => ({
  command: 'echo tests ran',
  'pushgateway-url': url,
  'gateway-wait-seconds': '2',
  'push-timeout-seconds': '8',
  ...extra,
});

async function expectMetricsFile(run: ActionRun): Promise<void> {
  const text = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
  expect(text).toContain('reliability_run_success 1');
}

describe('gateway faults', () => {
  it('500 twice, then 200: retried and pushed', async () => {
    const server = await startFaultServer(
      gateway((n, _q, res) => res.writeHead(n < 2 ? 500 : 200).end(n < 2 ? 'internal' : '')),
    );
    const run = await runAction({ inputs: inputs(server.url) });
    await server.close();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('true');
    expect(run.stdout).toMatch(/3 attempt\(s\)/);
    expect(run.summary).toMatch(/✅ Pushed to .* \(3 attempts\)/);
  });

  it('503 with Retry-After: waits as told, then pushes', async () => {
    const server = await startFaultServer(
      gateway((n, _q, res) =>
        n === 0 ? res.writeHead(503, { 'Retry-After': '2' }).end() : res.writeHead(200).end(),
      ),
    );
    const started = Date.now();
    const run = await runAction({ inputs: inputs(server.url) });
    await server.close();
    expect(run.outputs.pushed).toBe('true');
    expect(Date.now() - started).toBeGreaterThan(2000);
  });

  it('400 with the gateway’s inconsistency error: not retried, its message shown', async () => {
    const body =
      'pushed metrics are invalid or inconsistent with existing metrics: collected metric "reliability_tests" { label:<name:"status" value:"passed" > gauge:<value:8 > } was collected before with the same name and label values';
    const server = await startFaultServer(gateway((_n, _q, res) => res.writeHead(400).end(body)));
    const run = await runAction({ inputs: inputs(server.url) });
    await server.close();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('false');
    expect(server.seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(run.stdout).toMatch(/::warning::.*HTTP 400.*inconsistent with existing metrics/);
    expect(run.summary).toContain('inconsistent with existing metrics');
    await expectMetricsFile(run);
  });

  it.each([401, 403])('%i: says to check the credentials', async (status) => {
    const server = await startFaultServer(
      gateway((_n, _q, res) => res.writeHead(status).end('denied')),
    );
    const run = await runAction({ inputs: inputs(server.url, { 'pushgateway-token': 'tok-123' }) });
    await server.close();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`refused the credentials \\(HTTP ${status}\\)`));
    await expectMetricsFile(run);
  });

  it('an answer slower than the push timeout: bounded, reported, verdict kept', async () => {
    const server = await startFaultServer(gateway(() => undefined));
    const started = Date.now();
    const run = await runAction({ inputs: inputs(server.url, { 'push-timeout-seconds': '3' }) });
    await server.close();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('false');
    expect(run.summary).toMatch(/❌ Push to .* failed after \d+ attempts?: no answer/);
    await expectMetricsFile(run);
  });

  it('a connection reset mid-request: retried', async () => {
    const server = await startFaultServer(
      gateway((n, req, res) => (n === 0 ? req.socket.destroy() : res.writeHead(200).end())),
    );
    const run = await runAction({ inputs: inputs(server.url) });
    await server.close();
    expect(run.outputs.pushed).toBe('true');
  });

  it('fail-on-push-error: a failed push fails the step even though the tests passed', async () => {
    const server = await startFaultServer(gateway((_n, _q, res) => res.writeHead(500).end('boom')));
    const run = await runAction({
      inputs: inputs(server.url, { 'fail-on-push-error': 'true', 'push-timeout-seconds': '2' }),
    });
    await server.close();
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.stdout).toContain(
      '::error::The metrics could not be pushed (fail-on-push-error is true).',
    );
  });

  it('gateway-required: a gateway that never gets ready stops the step before the tests', async () => {
    const server = await startFaultServer((_i, _q, res) => res.writeHead(503).end('starting'));
    const run = await runAction({
      inputs: inputs(server.url, {
        'gateway-required': 'true',
        'gateway-wait-seconds': '1',
        command: 'echo SHOULD-NOT-RUN',
      }),
    });
    await server.close();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain('SHOULD-NOT-RUN\n');
    expect(run.stdout).toMatch(
      /::error::Pushgateway .* did not answer \/-\/ready within 1 s: HTTP 503: starting/,
    );
  });

  it('TLS with a private CA from NODE_EXTRA_CA_CERTS; without it, a TLS error that says what to do', async () => {
    const certs = makeCertificates();
    const server = await startFaultServer(
      gateway((_n, _q, res) => res.writeHead(200).end()),
      certs,
    );
    const trusted = await runAction({
      inputs: inputs(server.url),
      env: { NODE_EXTRA_CA_CERTS: certs.caFile },
    });
    expect(trusted.outputs.pushed, trusted.stdout).toBe('true');
    const untrusted = await runAction({
      inputs: inputs(server.url, { 'gateway-wait-seconds': '1', 'push-timeout-seconds': '2' }),
    });
    await server.close();
    expect(untrusted.exitCode).toBe(0);
    expect(untrusted.outputs.pushed).toBe('false');
    expect(untrusted.stdout).toMatch(/TLS error .*NODE_EXTRA_CA_CERTS/);
  });

  describe('redirects are never followed: credentials and metrics stay where pushgateway-url points', () => {
    const secrets = {
      basic: { 'pushgateway-username': 'ci', 'pushgateway-password': 'pw-s3cret-42' },
      bearer: { 'pushgateway-token': 'tok-s3cret-42' },
    };
    it.each([
      [301, 'basic'],
      [302, 'bearer'],
      [307, 'basic'],
      [308, 'bearer'],
    ] as const)(
      '%i on the PUT (%s auth): a failed push naming the Location; the target gets nothing',
      async (status, kind) => {
        const target = await startListener();
        const server = await startFaultServer(
          gateway((_n, req, res) =>
            res.writeHead(status, { Location: `${target.url}${req.url ?? ''}` }).end('moved'),
          ),
        );
        const run = await runAction({
          inputs: inputs(server.url, {
            ...secrets[kind],
            'pushgateway-headers': 'X-Scope-OrgID: tenant-s3cret-42',
          }),
        });
        await server.close();
        await target.close();
        expect(target.connections()).toBe(0);
        expect(target.received()).toBe('');
        expect(run.exitCode).toBe(0);
        expect(run.outputs.pushed).toBe('false');
        expect(server.seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
        const message = new RegExp(
          `HTTP ${status} redirecting to ${target.url}/metrics/job@base64/.*Redirects are never followed.*set pushgateway-url to the final address \\(${target.url}\\)`,
        );
        expect(run.stdout).toMatch(
          new RegExp(`::warning::Could not push the metrics.*${message.source}`),
        );
        expect(run.summary).toMatch(message);
        const shown = run.stdout.replace(/^::add-mask::.*$/gm, '') + run.summary;
        expect(shown).not.toContain('s3cret');
        await expectMetricsFile(run);
      },
    );

    it('a redirect of the readiness check: not followed, reported at once, the push not followed either', async () => {
      const target = await startListener();
      const server = await startFaultServer((_i, req, res) =>
        res.writeHead(302, { Location: `${target.url}${req.url ?? ''}` }).end(),
      );
      const started = Date.now();
      const run = await runAction({
        inputs: inputs(server.url, { 'gateway-wait-seconds': '20', ...secrets.bearer }),
      });
      await server.close();
      await target.close();
      expect(Date.now() - started).toBeLessThan(15_000); // not 20 s of polling
      expect(target.connections()).toBe(0);
      expect(server.seen.filter((r) => r.url === '/-/ready')).toHaveLength(1);
      expect(run.stdout).toMatch(
        new RegExp(
          `did not answer /-/ready .*HTTP 302 redirecting to ${target.url}/-/ready.*final address \\(${target.url}\\)`,
        ),
      );
      expect(run.outputs.pushed).toBe('false');
      expect(run.exitCode).toBe(0);
    });
  });

  it('a 100 MB error body: a few KiB read, status and excerpt reported, no "no answer"', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'gateway says no. ');
    let sent = 0;
    const server = await startFaultServer(
      gateway((_n, _q, res) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        const total = 100 * 1024 * 1024;
        const pump = (): void => {
          while (sent < total) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
      }),
    );
    const started = Date.now();
    const run = await runAction({
      inputs: inputs(server.url, { 'push-timeout-seconds': '30' }),
    });
    const elapsed = Date.now() - started;
    await server.close();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('false');
    expect(run.stdout).toMatch(
      /::warning::Could not push the metrics.*HTTP 500: gateway says no\. .*… \(cut\)/,
    );
    expect(run.stdout).not.toMatch(/no answer/);
    // What the kernel's socket buffers took in before the client hung up (under 1 MB an attempt
    // here); reading it all took 30 s and 400 MB before.
    expect(sent).toBeLessThan(25 * 1024 * 1024);
    expect(elapsed).toBeLessThan(20_000);
    await expectMetricsFile(run);
  });
});
