/**
 * alertmanager/: amtool accepts the config, the routing tree sends what it should where, no
 * secret is inline, and a real Alertmanager reads the Slack URL and the PagerDuty routing key
 * from files, inhibits the warning under its critical, and notifies both receivers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/services.js';
import { ROOT, readRepoFile, readYaml, run } from './stack.js';

const CONFIG = 'alertmanager/alertmanager.yml';
const SECRETS_IN_CONTAINER = '/etc/alertmanager/secrets/';

interface Route {
  receiver?: string;
  matchers?: string[];
  match?: unknown;
  match_re?: unknown;
  continue?: boolean;
  group_by?: string[];
  routes?: Route[];
}
interface Config {
  route: Route;
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: {
    name: string;
    slack_configs?: Record<string, unknown>[];
    pagerduty_configs?: Record<string, unknown>[];
  }[];
}

function routesTest(...labels: string[]): string {
  const result = run('amtool', ['config', 'routes', 'test', `--config.file=${CONFIG}`, ...labels]);
  expect(result.status, result.output).toBe(0);
  return result.output.split('\n')[0]?.trim() ?? '';
}

function allRoutes(route: Route): Route[] {
  return [route, ...(route.routes ?? []).flatMap(allRoutes)];
}

describe('alertmanager/alertmanager.yml', () => {
  const config = readYaml<Config>('alertmanager', 'alertmanager.yml');

  it('passes amtool check-config', () => {
    const result = run('amtool', ['check-config', CONFIG]);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain('1 inhibit rules');
    expect(result.status).toBe(0);
  });

  it('pages critical alerts of main, master and release branches, and sends the rest to Slack', () => {
    expect(routesTest('alertname=E2ETestsFailing', 'severity=critical', 'branch=main')).toBe(
      'pagerduty,slack',
    );
    expect(routesTest('severity=critical', 'branch=master')).toBe('pagerduty,slack');
    expect(routesTest('severity=critical', 'branch=release/1.x')).toBe('pagerduty,slack');
    // A pull request from release/1.x has its own group: never a page, whatever its branch.
    expect(routesTest('severity=critical', 'branch=release/1.x', 'pull_request=42')).toBe('slack');
    expect(routesTest('severity=critical', 'branch=feature/x')).toBe('slack');
    expect(routesTest('severity=warning', 'branch=main')).toBe('slack');
    expect(routesTest('severity=warning', 'branch=feature/x')).toBe('slack');
  });

  it('uses the matchers syntax only', () => {
    for (const route of allRoutes(config.route)) {
      expect(route.match).toBeUndefined();
      expect(route.match_re).toBeUndefined();
    }
    expect(config.inhibit_rules[0]).toMatchObject({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
    });
    expect(config.inhibit_rules[0]?.equal).toContain('alertname');
    expect(config.inhibit_rules[0]?.equal).toContain('branch');
  });

  it('holds no secret: Slack URL and PagerDuty key come from files with a placeholder each', () => {
    const text = readRepoFile('alertmanager', 'alertmanager.yml');
    expect(text).not.toMatch(/^\s*(api_url|routing_key|service_key|slack_api_url):/m);
    expect(text).not.toMatch(/hooks\.slack\.com/);
    const files = config.receivers.flatMap((r) => [
      ...(r.slack_configs ?? []).map((c) => c.api_url_file),
      ...(r.pagerduty_configs ?? []).map((c) => c.routing_key_file),
    ]) as string[];
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file.startsWith(SECRETS_IN_CONTAINER), file).toBe(true);
      const name = file.slice(SECRETS_IN_CONTAINER.length);
      expect(existsSync(join(ROOT, 'alertmanager', 'secrets', `${name}.example`)), name).toBe(true);
      // The real file is ignored by git wherever someone creates it.
      const ignored = run('git', ['check-ignore', '-q', `alertmanager/secrets/${name}`]);
      expect(ignored.status, `alertmanager/secrets/${name} must be gitignored`).toBe(0);
    }
  });

  it('resolves alerts on every receiver', () => {
    for (const receiver of config.receivers) {
      for (const c of [...(receiver.slack_configs ?? []), ...(receiver.pagerduty_configs ?? [])]) {
        expect(c.send_resolved, receiver.name).toBe(true);
      }
    }
  });
});

/** Records the JSON bodies POSTed to it, by path. */
async function startSink(): Promise<{
  server: Server;
  url: string;
  received: Map<string, unknown[]>;
}> {
  const received = new Map<string, unknown[]>();
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const list = received.get(request.url ?? '') ?? [];
      list.push(JSON.parse(body) as unknown);
      received.set(request.url ?? '', list);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"success"}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}`, received };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a real Alertmanager with alertmanager.yml', () => {
  let dir = '';
  let child: ChildProcess | undefined;
  let amUrl = '';
  let sink: Awaited<ReturnType<typeof startSink>> | undefined;
  let log = '';

  beforeAll(async () => {
    sink = await startSink();
    dir = await mkdtemp(join(tmpdir(), 'rma-am-'));
    // Same config, with the secret files in a temp dir, PagerDuty's endpoint and the Slack
    // webhook pointing at the local sink, and short group timers.
    const config = parse(await readFile(join(ROOT, CONFIG), 'utf8')) as Config & {
      route: Route & { group_wait: string; group_interval: string };
    };
    config.route.group_wait = '1s';
    config.route.group_interval = '1s';
    for (const receiver of config.receivers) {
      for (const slack of receiver.slack_configs ?? []) {
        const file = join(dir, 'slack_webhook_url');
        await writeFile(file, `${sink.url}/slack\n`);
        slack.api_url_file = file;
      }
      for (const pd of receiver.pagerduty_configs ?? []) {
        const file = join(dir, 'pagerduty_routing_key');
        await writeFile(file, 'test-routing-key-from-file\n');
        pd.routing_key_file = file;
        pd.url = `${sink.url}/pagerduty`;
      }
    }
    await writeFile(join(dir, 'alertmanager.yml'), stringify(config));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    child = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    await until('alertmanager ready', async () => {
      try {
        return (await fetch(`${amUrl}/-/ready`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    });
  });

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => sink?.server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('inhibits the warning under its critical and notifies PagerDuty and Slack with the runbook', async () => {
    const labels = {
      alertname: 'ReliabilityTestFailureRate',
      job: 'reliability_tests',
      repository: 'acme/widgets',
      branch: 'main',
      workflow: 'Reliability',
      workflow_job: 'reliability-tests',
      suite: 'default',
    };
    const annotations = (severity: string): Record<string, string> => ({
      summary: `acme/widgets@main: 62.5% of the tests failed (${severity})`,
      description: 'The latest run failed.',
      runbook_url:
        'https://github.com/org/reliability-metrics-action/blob/main/docs/runbooks.md#reliabilitytestfailurerate',
    });
    const response = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { labels: { ...labels, severity: 'critical' }, annotations: annotations('critical') },
        { labels: { ...labels, severity: 'warning' }, annotations: annotations('warning') },
      ]),
    });
    expect(response.status, log).toBe(200);

    const states = await until('the warning to be inhibited', async () => {
      const alerts = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as {
        labels: Record<string, string>;
        status: { state: string; inhibitedBy: string[] };
      }[];
      const warning = alerts.find((a) => a.labels.severity === 'warning');
      return warning?.status.state === 'suppressed' ? alerts : undefined;
    });
    const warning = states.find((a) => a.labels.severity === 'warning');
    expect(warning?.status.inhibitedBy).toHaveLength(1);
    expect(states.find((a) => a.labels.severity === 'critical')?.status.state).toBe('active');

    const page = (await until('the PagerDuty event', () =>
      Promise.resolve(sink?.received.get('/pagerduty')?.[0]),
    )) as {
      routing_key: string;
      event_action: string;
      payload: { summary: string; severity: string };
      links: { href: string }[];
    };
    expect(page.routing_key).toBe('test-routing-key-from-file');
    expect(page.event_action).toBe('trigger');
    expect(page.payload.severity).toBe('critical');
    expect(page.payload.summary).toContain('ReliabilityTestFailureRate acme/widgets@main');
    expect(page.links[0]?.href).toContain('runbooks.md#reliabilitytestfailurerate');

    const slack = (await until('the Slack message', () =>
      Promise.resolve(sink?.received.get('/slack')?.[0]),
    )) as { channel: string; attachments: { title: string; text: string }[] };
    expect(slack.channel).toBe('#sdk-alerts');
    const text = slack.attachments[0]?.text ?? '';
    expect(slack.attachments[0]?.title).toContain(
      '[FIRING:1] ReliabilityTestFailureRate acme/widgets@main',
    );
    expect(text).toContain('*CRITICAL*');
    expect(text).not.toContain('*WARNING*');
    expect(text).toContain('Runbook: https://github.com/org/reliability-metrics-action');
  });
});
