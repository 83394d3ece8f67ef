/**
 * The bundled action (`node dist/index.js`, as the runner runs it) on the Playwright, go test
 * -json and mocha reports of real runs, pushing to a real Pushgateway; and on broken or huge JSON
 * reports: a warning says where the file is broken, never what it holds, and no report is lost.
 */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ROOT, runAction } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';

const FIXTURES = join(ROOT, '__tests__', 'fixtures');

async function workspaceWith(files: Record<string, string>): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'rma-json-e2e-'));
  for (const [name, fixture] of Object.entries(files)) {
    await copyFile(join(FIXTURES, fixture), join(workspace, name));
  }
  return workspace;
}

describe('new report formats through the bundle', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('Playwright, go test -json (with gotestsum reruns) and mocha reports, detected and pushed', async () => {
    const workspace = await workspaceWith({
      'playwright.json': 'playwright-json/report.json',
      'go.json': 'go-test-json/gotestsum-rerun.json',
      'mocha.json': 'mocha-json/report.json',
    });
    const run = await runAction({
      workspace,
      inputs: {
        command: 'true',
        'report-paths': '*.json',
        'pushgateway-url': gateway.url,
        suite: 'json-formats',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    // 12 Playwright + 14 go + 11 mocha tests, no id in common.
    expect(run.outputs).toMatchObject({ 'tests-total': '37', pushed: 'true' });
    expect(run.stdout).not.toMatch(/::warning::/);
    const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    expect(metrics).toContain('reliability_tests{status="flaky"} 3');
    expect(metrics).toContain(
      'reliability_latency_seconds{test="api > checkout.spec.mjs > checkout > records its latency",operation="checkout",stat="p95"}',
    );
    expect(metrics).toMatch(
      /reliability_test_case_status\{test="example\.com\/gojson\/retry\.TestReconnect"[^}]*status="flaky"\} 1/,
    );
    expect(metrics).toContain('reliability_tests{status="error"} 1'); // mocha's failing hook
    expect(run.stdout).toContain(
      '::error title=failed%3A api > checkout.spec.mjs > checkout > totals the cart,file=checkout.spec.mjs,line=24::Error: cart total',
    );
    const pushed = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(pushed).toContain('suite="json-formats"');
    expect(pushed).toMatch(/reliability_tests\{[^}]*status="flaky"[^}]*\} 3/);
  });
});

describe('broken and huge JSON reports through the bundle', () => {
  it('a JSON report that does not parse: the warning says where, never what', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-json-e2e-'));
    const secret = 'ghp_0123456789abcdefSECRET';
    const text = `{"numTotalTests": 1,\n "testResults": [{"name": "a.test.ts", "message": ${secret}}]}\n`;
    await writeFile(join(workspace, 'jest.json'), text);
    const run = await runAction({
      workspace,
      inputs: { command: 'true', 'report-paths': 'jest.json' },
    });
    expect(run.exitCode).toBe(0);
    const offset = text.indexOf(secret);
    const column = offset - text.lastIndexOf('\n', offset);
    expect(run.stdout).toContain(
      `::warning::Report jest.json: invalid JSON at line 2, column ${column} (byte ${offset}): invalid token`,
    );
    const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    for (const written of [run.stdout, run.stderr, run.summary, metrics]) {
      expect(written).not.toContain('SECRET');
      expect(written).not.toContain('ghp_');
    }
  });

  it('a report cut short is a report error naming the file, never 0 tests in silence', async () => {
    const workspace = await workspaceWith({ 'pw.json': 'playwright-json/edge/truncated.json' });
    const run = await runAction({
      workspace,
      inputs: { command: 'true', 'report-paths': 'pw.json', 'fail-on-report-error': 'true' },
    });
    expect(run.stdout).toMatch(
      /::warning::Report pw\.json: invalid JSON at line \d+, column \d+ \(byte \d+\): unexpected end of the file/,
    );
    expect(run.stdout).toContain(
      '::error::1 report file(s) could not be parsed (fail-on-report-error is true).',
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('0');
  });
});
