/**
 * Runs of pull requests through the bundled action, against the real Pushgateway: a failing
 * pull request from release/1.x must not replace that branch's latest run (which the critical
 * alert route of release/* watches); it gets a group of its own, with a pull_request label.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';

interface Group {
  labels: Record<string, string>;
  reliability_run_success?: { metrics: { value: string }[] };
  reliability_run_info?: { metrics: { labels: Record<string, string> }[] };
}

async function groups(gateway: Service): Promise<Group[]> {
  const body = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as { data: Group[] };
  return body.data;
}

const success = (group: Group | undefined): string | undefined =>
  group?.reliability_run_success?.metrics[0]?.value;
const commit = (group: Group | undefined): string | undefined =>
  group?.reliability_run_info?.metrics[0]?.labels.commit;

describe('pull-request runs on a real Pushgateway', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('a failing pull request from release/1.x leaves the branch’s latest run alone', async () => {
    const branchRun = await runAction({
      inputs: { command: 'true', 'pushgateway-url': gateway.url },
      env: {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/release/1.x',
        GITHUB_REF_NAME: 'release/1.x',
        GITHUB_SHA: 'a'.repeat(40),
      },
    });
    expect(branchRun.outputs.pushed).toBe('true');

    const prRun = await runAction({
      inputs: { command: 'exit 1', 'pushgateway-url': gateway.url },
      env: {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/12/merge',
        GITHUB_REF_NAME: '12/merge',
        GITHUB_HEAD_REF: 'release/1.x',
        GITHUB_BASE_REF: 'main',
        GITHUB_SHA: 'b'.repeat(40),
      },
    });
    expect(prRun.exitCode).toBe(1);
    expect(prRun.outputs.pushed).toBe('true');
    expect(prRun.summary).toContain('branch="release/1.x", pull\\_request="12"');

    const all = (await groups(gateway)).filter((g) => g.labels.branch === 'release/1.x');
    const branch = all.find((g) => g.labels.pull_request === undefined && !g.labels.record);
    const pr = all.find((g) => g.labels.pull_request === '12' && !g.labels.record);
    expect(success(branch)).toBe('1');
    expect(commit(branch)).toBe('a'.repeat(40));
    expect(success(pr)).toBe('0');
    expect(commit(pr)).toBe('b'.repeat(40));
  });

  it('pull_request_target (base branch ref) takes the number from the event payload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-event-'));
    const event = join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ number: 31, pull_request: { number: 31 } }));
    const run = await runAction({
      inputs: { command: 'true', 'pushgateway-url': gateway.url, suite: 'target' },
      env: {
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_HEAD_REF: 'feature/x',
        GITHUB_EVENT_PATH: event,
      },
    });
    expect(run.outputs.pushed).toBe('true');
    const pushed = (await groups(gateway)).filter((g) => g.labels.suite === 'target');
    expect(pushed.map((g) => [g.labels.branch, g.labels.pull_request, g.labels.record])).toEqual(
      expect.arrayContaining([
        ['feature/x', '31', undefined],
        ['feature/x', '31', 'last_success'],
      ]),
    );
    expect(pushed.some((g) => g.labels.branch === 'main')).toBe(false);
  });
});
