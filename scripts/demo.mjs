#!/usr/bin/env node
/**
 * `npm run demo`: runs the bundled action (dist/index.js) on the example pytest suite exactly as
 * the GitHub runner would, then prints the job summary, the outputs and the metrics file.
 *
 * Where the Debian binaries are (prometheus, prometheus-pushgateway) and no PUSHGATEWAY_URL is
 * given, it first starts a throwaway Pushgateway and a Prometheus with its remote-write receiver
 * on, runs the suite a few times (passing and failing) through both paths, prints what Prometheus
 * holds, each figure with the query that gave it, and stops them.
 *
 *   PUSHGATEWAY_URL=http://localhost:9091 npm run demo   # push to a gateway
 *   DEMO_STACK=0 npm run demo                            # one run, no throwaway stack
 *   EXAMPLE_FAIL=1 npm run demo                          # see a failing run
 *   DEMO_SUITE=node npm run demo                         # the Node suite, as without pytest
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printHoldings } from './demo-report.mjs';
import { stackBinaries, startDemoStack, waitForGatewayScrape } from './demo-stack.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
// The Python suite records latency and throughput figures; without pytest, Node's own test runner
// runs a smaller suite, so the demo works on any machine that has npm.
const hasPytest =
  process.env.DEMO_SUITE !== 'node' &&
  spawnSync(python, ['-c', 'import pytest'], { stdio: 'ignore' }).status === 0;
const example = hasPytest
  ? { dir: 'python-suite', command: `${python} -m pytest --junitxml=report.xml` }
  : {
      dir: 'node-suite',
      command: `${JSON.stringify(process.execPath)} --test --test-reporter=junit --test-reporter-destination=report.xml --test-reporter=spec --test-reporter-destination=stdout`,
    };
if (!hasPytest) {
  console.log(
    `${python} has no pytest (Debian: apt-get install python3-pytest): running examples/node-suite with node --test instead.`,
  );
}

const workspace = mkdtempSync(join(tmpdir(), 'rma-demo-'));
const runnerTemp = mkdtempSync(join(tmpdir(), 'rma-demo-runner-'));
cpSync(join(root, 'examples', example.dir), join(workspace, example.dir), {
  recursive: true,
  filter: (source) => !source.includes('__pycache__'),
});
const context = {
  GITHUB_REPOSITORY: process.env.GITHUB_REPOSITORY ?? 'acme/widgets',
  GITHUB_REF_NAME: process.env.GITHUB_REF_NAME ?? 'demo/local',
};
const summaryFile = join(runnerTemp, 'summary.md');
const outputFile = join(runnerTemp, 'outputs.txt');

/** Runs the action once; `capture` keeps its log instead of printing it. */
function runAction({ pushgatewayUrl = '', remoteWriteUrl = '', fail = false, capture = false }) {
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const inputs = {
    command: example.command,
    'working-directory': example.dir,
    'report-paths': 'report.xml',
    'pushgateway-url': pushgatewayUrl,
    'remote-write-url': remoteWriteUrl,
    'sample-interval': '0.2',
    'grafana-url': process.env.GRAFANA_URL ?? '',
  };
  const env = {
    ...process.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    ...context,
    GITHUB_REF: process.env.GITHUB_REF ?? 'refs/heads/demo/local',
    GITHUB_SHA: process.env.GITHUB_SHA ?? '0000000000000000000000000000000000000000',
    GITHUB_WORKFLOW: process.env.GITHUB_WORKFLOW ?? 'Demo',
    GITHUB_JOB: process.env.GITHUB_JOB ?? 'demo',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: process.env.GITHUB_RUN_NUMBER ?? '1',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_ACTOR: process.env.USER ?? 'demo',
    ...(fail ? { EXAMPLE_FAIL: '1' } : {}),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return spawnSync(process.execPath, [join(root, 'dist', 'index.js')], {
    cwd: workspace,
    env,
    stdio: capture ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
}

/** The outputs the last run wrote, by name. */
function readOutputs() {
  const outputs = {};
  const lines = readFileSync(outputFile, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^(.+)<<(.+)$/.exec(lines[i]);
    if (match) outputs[match[1]] = lines[++i];
  }
  return outputs;
}

/** Four runs (passing, failing, passing, failing) through both paths into a throwaway stack. */
async function runThroughStack() {
  const stack = await startDemoStack();
  let last;
  try {
    console.log(
      `Started a throwaway Pushgateway (${stack.gateway.url}) and a Prometheus with its remote-write receiver (${stack.prometheus.url}) in ${stack.dir}.\n`,
    );
    console.log(
      `Running dist/index.js on examples/${example.dir} (workspace ${workspace}) 4 times, each sent both ways:\n  pushgateway-url  ${stack.gateway.url}\n  remote-write-url ${stack.prometheus.writeUrl}\n`,
    );
    // Failing and passing runs alternate, the last one passing: the demo ends as a green step does,
    // and the gateway's single scrape of that last run shows what the gateway path loses.
    const plan = process.env.EXAMPLE_FAIL ? [true, true, true, true] : [true, false, true, false];
    for (const [index, fail] of plan.entries()) {
      last = runAction({
        pushgatewayUrl: stack.gateway.url,
        remoteWriteUrl: stack.prometheus.writeUrl,
        fail,
        capture: true,
      });
      const outputs = readOutputs();
      console.log(
        `  run ${index + 1}${fail ? ' (EXAMPLE_FAIL=1)' : ''}: exit code ${last.status}, ${outputs['tests-failed']} failed of ${outputs['tests-total']}, pushed ${outputs.pushed}`,
      );
      if (outputs.pushed !== 'true') console.log(last.stdout);
    }
    // The gateway's copy exists only once Prometheus has scraped it after the last push.
    if (!(await waitForGatewayScrape(stack.prometheus.url, Date.now()))) {
      console.log(
        '  (Prometheus did not scrape the gateway within 15 s: its copy may be missing below.)',
      );
    }
    const group = `repository=${JSON.stringify(context.GITHUB_REPOSITORY)}, branch=${JSON.stringify(context.GITHUB_REF_NAME)}`;
    await printHoldings(stack.prometheus.url, plan, group);
  } finally {
    await stack.stop();
    console.log(`\nStopped the Pushgateway and Prometheus; removed ${stack.dir}.`);
  }
  return last;
}

const binaries = stackBinaries();
const wantStack = !process.env.PUSHGATEWAY_URL && process.env.DEMO_STACK !== '0';
let result;
if (wantStack && binaries.missing.length === 0) {
  result = await runThroughStack();
} else {
  if (wantStack) {
    console.log(
      `No ${binaries.missing.join(' or ')} on PATH, so no throwaway Pushgateway and Prometheus: one run, pushed nowhere. To see both paths into a real Prometheus: apt-get install prometheus prometheus-pushgateway (npm test installs them when run as root), or set PUSHGATEWAY_URL.\n`,
    );
  }
  console.log(`Running dist/index.js on examples/${example.dir} (workspace ${workspace})\n`);
  result = runAction({ pushgatewayUrl: process.env.PUSHGATEWAY_URL ?? '' });
}

const rule = (title) =>
  console.log(`\n${'─'.repeat(20)} ${title} ${'─'.repeat(Math.max(0, 58 - title.length))}`);
rule('Job summary of the last run (GITHUB_STEP_SUMMARY)');
console.log(readFileSync(summaryFile, 'utf8'));
rule('Outputs (GITHUB_OUTPUT)');
for (const [name, value] of Object.entries(readOutputs())) console.log(`${name} = ${value}`);
const metricsFile = join(runnerTemp, 'reliability-metrics.prom');
if (existsSync(metricsFile)) {
  rule(`Metrics file ${metricsFile}`);
  const text = readFileSync(metricsFile, 'utf8');
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  console.log(lines.slice(0, 200).join('\n'));
  if (lines.length > 200) console.log(`… ${lines.length - 200} more series`);
}
console.log(
  `\nThe step would ${result.status === 0 ? 'pass' : `fail (exit code ${result.status})`}.`,
);
process.exit(result.status ?? 1);
