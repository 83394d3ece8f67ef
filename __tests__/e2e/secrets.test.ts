/**
 * Secrets never leave the action: passwords, tokens, header values and credentials inside the
 * gateway and remote-write URLs are absent from logs, summary, outputs, the metrics file and error messages, even
 * when a hostile gateway echoes the request's Authorization header back.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFaultServer, type Script } from '../helpers/fault-server.js';
import { freePort, startPushgateway } from '../helpers/services.js';
import { runAction, type ActionRun } from '../helpers/run-action.js';

const PASSWORD = 'pw-S3cr3t!x';
const TOKEN = 'tok-9f8e7d6c';
const HEADER = 'key-0a1b2c3d';
const BASIC = Buffer.from(`ci:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, encodeURIComponent(PASSWORD), TOKEN, HEADER, BASIC];

/** Everything the action wrote that a person or another step could read. */
async function everythingWritten(run: ActionRun): Promise<string> {
  // ::add-mask:: lines are how the runner learns what to mask; the runner never prints them.
  const logs = `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const files = await readdir(run.runnerTemp);
  const contents = await Promise.all(files.map((f) => readFile(join(run.runnerTemp, f), 'utf8')));
  return [logs, run.summary, JSON.stringify(run.outputs), ...contents].join('\n');
}

/** A gateway that is ready, then answers every push with `status` and the headers it got. */
const echoing =
  (status: number): Script =>
  (_i, req, res) => {
    if (req.url === '/-/ready') res.writeHead(200).end();
    else
      res
        .writeHead(status)
        .end(
          `rejected: authorization=${req.headers.authorization ?? ''} x-api-key=${String(req.headers['x-api-key'])}`,
        );
  };

describe('secrets', () => {
  const cases: [string, number, (url: string) => Record<string, string>][] = [
    [
      'credentials in the URL, 401 echoing them',
      401,
      (url) => ({
        'pushgateway-url': url.replace('://', `://ci:${encodeURIComponent(PASSWORD)}@`),
      }),
    ],
    [
      'basic auth inputs, 400 echoing them',
      400,
      (url) => ({
        'pushgateway-url': url,
        'pushgateway-username': 'ci',
        'pushgateway-password': PASSWORD,
      }),
    ],
    [
      'token and header, 500 echoing them',
      500,
      (url) => ({
        'pushgateway-url': url,
        'pushgateway-token': TOKEN,
        'pushgateway-headers': `X-Api-Key: ${HEADER}`,
      }),
    ],
    [
      'token, 403 echoing it',
      403,
      (url) => ({
        'pushgateway-url': url,
        'pushgateway-token': TOKEN,
        'pushgateway-headers': `X-Api-Key: ${HEADER}`,
      }),
    ],
    [
      'remote write: credentials in the URL and a header, 401 echoing them',
      401,
      (url) => ({
        'remote-write-url': `${url.replace('://', `://ci:${encodeURIComponent(PASSWORD)}@`)}/api/v1/write`,
        'remote-write-headers': `X-Api-Key: ${HEADER}`,
      }),
    ],
    [
      'remote write: a bearer header, 500 echoing it',
      500,
      (url) => ({
        'remote-write-url': `${url}/api/v1/write`,
        'remote-write-headers': `Authorization: Bearer ${TOKEN}\nX-Api-Key: ${HEADER}`,
      }),
    ],
  ];

  it.each(cases)('%s', async (_name, status, auth) => {
    const server = await startFaultServer(echoing(status));
    const run = await runAction({
      inputs: {
        command: 'echo ok',
        'gateway-wait-seconds': '2',
        'push-timeout-seconds': '2',
        ...auth(server.url),
      },
    });
    await server.close();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/rejected: authorization=((Basic|Bearer) )?\*\*\*/); // the gateway's message is kept, masked
    const written = await everythingWritten(run);
    for (const secret of SECRETS) expect(written).not.toContain(secret);
  });

  it('a gateway that echoes the bearer token alone, without its scheme', async () => {
    const bearer = 'brr-5e4d3c2b1a';
    const server = await startFaultServer((_i, req, res) => {
      if (req.url === '/-/ready') res.writeHead(200).end();
      else {
        const credential = (req.headers.authorization ?? '').split(' ').at(-1) ?? '';
        res.writeHead(401).end(`unknown credential ${credential}`);
      }
    });
    const run = await runAction({
      inputs: {
        command: 'echo ok',
        'pushgateway-url': server.url,
        'pushgateway-headers': `Authorization: Bearer ${bearer}`,
        'push-timeout-seconds': '2',
      },
    });
    await server.close();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('unknown credential ***');
    expect(await everythingWritten(run)).not.toContain(bearer);
  });

  it('a gateway that is down, with credentials in the URL', async () => {
    const port = await freePort();
    const run = await runAction({
      inputs: {
        command: 'echo ok',
        'pushgateway-url': `http://ci:${PASSWORD}@127.0.0.1:${port}`,
        'gateway-wait-seconds': '1',
        'push-timeout-seconds': '1',
      },
    });
    expect(run.outputs.pushed).toBe('false');
    const written = await everythingWritten(run);
    for (const secret of SECRETS) expect(written).not.toContain(secret);
    expect(written).toContain(`http://127.0.0.1:${port}`);
  });

  it('invalid input next to a secret', async () => {
    const run = await runAction({
      inputs: {
        command: 'echo ok',
        'pushgateway-url': `http://ci:${PASSWORD}@127.0.0.1:1`,
        'sample-interval': 'often',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("::error::Input 'sample-interval': 'often' is not valid");
    const written = await everythingWritten(run);
    for (const secret of SECRETS) expect(written).not.toContain(secret);
  });

  it('the masks are registered with the runner', async () => {
    const run = await runAction({
      inputs: {
        command: 'true',
        'pushgateway-url': 'http://127.0.0.1:1',
        'pushgateway-token': TOKEN,
        'gateway-wait-seconds': '0',
        'push-timeout-seconds': '1',
      },
    });
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
  });
});

/**
 * What the runner gives a JavaScript action and not a `run:` step (actions/runner
 * NodeScriptActionHandler.cs), with values a test can look for.
 */
const RUNTIME = {
  ACTIONS_RUNTIME_TOKEN: 'rt-6a5b4c3d2e1f',
  ACTIONS_RUNTIME_URL: 'https://pipelines.example/rt-url-7e7e/',
  ACTIONS_CACHE_URL: 'https://artifactcache.example/cache-url-8f8f/',
  ACTIONS_RESULTS_URL: 'https://results.example/results-url-9a9a/',
};

/** Writes every variable of its environment as a test name of a JUnit report, and prints them. */
const DUMP_ENV = `import os
from xml.sax.saxutils import quoteattr
cases = "".join(
    f'<testcase classname="env" name={quoteattr(k + "=" + v)} time="0.001"/>'
    for k, v in sorted(os.environ.items())
)
open("env-report.xml", "w").write(f'<testsuite name="env">{cases}</testsuite>')
for k, v in sorted(os.environ.items()):
    print(f"{k}={v}")
`;

describe('the test command’s environment', () => {
  const auths: [string, (url: string) => Record<string, string>][] = [
    [
      'credentials in the URL and a header',
      (url) => ({
        'pushgateway-url': url.replace('://', `://ci:${encodeURIComponent(PASSWORD)}@`),
        'pushgateway-headers': `X-Api-Key: ${HEADER}`,
      }),
    ],
    [
      'basic auth inputs',
      (url) => ({
        'pushgateway-url': url,
        'pushgateway-username': 'ci',
        'pushgateway-password': PASSWORD,
      }),
    ],
    ['a token', (url) => ({ 'pushgateway-url': url, 'pushgateway-token': TOKEN })],
  ];

  it.each(auths)(
    '%s: no input and no runtime token reaches the command, the metrics file or a real gateway',
    async (_name, auth) => {
      const gateway = await startPushgateway();
      try {
        const workspace = await mkdtemp(join(tmpdir(), 'rma-env-'));
        await writeFile(join(workspace, 'dump_env.py'), DUMP_ENV);
        const run = await runAction({
          workspace,
          env: { ...RUNTIME, USER_ADDED: 'visible-2c4e', RUNNER_TRACKING_ID: 'github_track-1' },
          inputs: {
            command: '/usr/bin/python3 dump_env.py',
            'report-paths': 'env-report.xml',
            suite: 'env',
            ...auth(gateway.url),
          },
        });
        expect(run.exitCode, run.stdout + run.stderr).toBe(0);
        expect(run.outputs.pushed).toBe('true');
        const seen = await readFile(join(workspace, 'env-report.xml'), 'utf8');
        const file = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
        const pushed = await (await fetch(`${gateway.url}/metrics`)).text();
        // What the command saw went everywhere: the variables a run: step has are there...
        for (const where of [seen, file, pushed]) {
          expect(where).toContain('USER_ADDED=visible-2c4e');
          expect(where).toContain('GITHUB_REPOSITORY=acme/widgets');
        }
        expect(seen).toContain('RUNNER_TRACKING_ID=github_track-1');
        // ...and no input, no runtime variable and no secret.
        const forbidden = [
          ...SECRETS,
          ...Object.values(RUNTIME),
          'INPUT_',
          'ACTIONS_RUNTIME',
          'ACTIONS_CACHE_URL',
        ];
        for (const where of [seen, file, pushed, await everythingWritten(run)]) {
          for (const secret of forbidden) expect(where).not.toContain(secret);
        }
      } finally {
        await gateway.stop();
      }
    },
  );
});
