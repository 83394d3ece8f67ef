#!/usr/bin/env node
/**
 * `npm run demo`: runs the bundled action (dist/index.js) on the example pytest suite exactly as
 * the GitHub runner would, then prints the job summary, the outputs and the metrics file.
 *
 *   PUSHGATEWAY_URL=http://localhost:9091 npm run demo   # push to a gateway
 *   EXAMPLE_FAIL=1 npm run demo                          # see a failing run
 *   DEMO_SUITE=node npm run demo                         # the Node suite, as without pytest
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const summaryFile = join(runnerTemp, 'summary.md');
const outputFile = join(runnerTemp, 'outputs.txt');
writeFileSync(summaryFile, '');
writeFileSync(outputFile, '');

const inputs = {
  command: example.command,
  'working-directory': example.dir,
  'report-paths': 'report.xml',
  'pushgateway-url': process.env.PUSHGATEWAY_URL ?? '',
  'gateway-wait-seconds': '5',
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
  GITHUB_REPOSITORY: process.env.GITHUB_REPOSITORY ?? 'acme/widgets',
  GITHUB_REF_NAME: process.env.GITHUB_REF_NAME ?? 'demo/local',
  GITHUB_REF: process.env.GITHUB_REF ?? 'refs/heads/demo/local',
  GITHUB_SHA: process.env.GITHUB_SHA ?? '0000000000000000000000000000000000000000',
  GITHUB_WORKFLOW: process.env.GITHUB_WORKFLOW ?? 'Demo',
  GITHUB_JOB: process.env.GITHUB_JOB ?? 'demo',
  GITHUB_RUN_ID: process.env.GITHUB_RUN_ID ?? String(Date.now()),
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_RUN_NUMBER: process.env.GITHUB_RUN_NUMBER ?? '1',
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_ACTOR: process.env.USER ?? 'demo',
};
for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

console.log(`Running dist/index.js on examples/${example.dir} (workspace ${workspace})\n`);
const result = spawnSync(process.execPath, [join(root, 'dist', 'index.js')], {
  cwd: workspace,
  env,
  stdio: 'inherit',
});

const rule = (title) =>
  console.log(`\n${'─'.repeat(20)} ${title} ${'─'.repeat(Math.max(0, 58 - title.length))}`);
rule('Job summary (GITHUB_STEP_SUMMARY)');
console.log(readFileSync(summaryFile, 'utf8'));
rule('Outputs (GITHUB_OUTPUT)');
const outputs = readFileSync(outputFile, 'utf8').split('\n');
for (let i = 0; i < outputs.length; i++) {
  const match = /^(.+)<<(.+)$/.exec(outputs[i]);
  if (match) console.log(`${match[1]} = ${outputs[++i]}`);
}
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
