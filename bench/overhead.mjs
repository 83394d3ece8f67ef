#!/usr/bin/env node
/**
 * Overhead of the action over the bare command: the same command run by `bash -eo pipefail -c`
 * (what a plain `run:` step does) and by `node dist/index.js` as the runner runs the action
 * (default inputs: 1 s sample interval), with no gateway and with a real Pushgateway on loopback,
 * alternating, N runs each after one warm-up run of each. Three suites:
 *
 * - example: examples/python-suite (`/usr/bin/python3 -m pytest --junitxml=report.xml tests`)
 * - 10 s: a generated pytest suite of 10 tests of 1 s each, half busy, half sleeping
 * - 1k tests: a generated pytest file of 1000 trivial tests
 *
 * Prints the median wall times, their ratio and difference. Targets: ratio under 1.03 on the
 * 10 s suite, and under 0.3 s absolute overhead on the 1k-test suite.
 *
 *   node bench/overhead.mjs [--runs 5] [--suites example,10s,1k] [--no-gateway]
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  machine,
  median,
  printTable,
  PYTHON,
  ROOT,
  runActionTimed,
  startPushgateway,
  tempDir,
  timed,
} from './lib.mjs';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const RUNS = Number(value('runs', '5'));
const SUITES = value('suites', 'example,10s,1k').split(',');
const WITH_GATEWAY = !args.includes('--no-gateway');
const PYTEST = `${PYTHON} -m pytest --junitxml=report.xml`;

const TEN_SECONDS = `import time

import pytest


@pytest.mark.parametrize("i", range(10))
def test_second(i):
    end = time.monotonic() + 1
    if i % 2:
        time.sleep(1)
    else:
        while time.monotonic() < end:
            pass
`;

const thousand = () =>
  Array.from({ length: 1000 }, (_, i) => `def test_trivial_${i}():\n    assert ${i} >= 0\n`).join(
    '\n',
  );

/** A workspace with the suite in `suite/`, and the command that runs it there. */
async function prepare(name) {
  const workspace = await tempDir(`rma-bench-overhead-${name}-`);
  const dir = join(workspace, 'suite');
  if (name === 'example') {
    await cp(join(ROOT, 'examples', 'python-suite'), dir, {
      recursive: true,
      filter: (source) => !source.includes('__pycache__') && !source.includes('.pytest_cache'),
    });
    return { workspace, dir, command: `${PYTEST} tests` };
  }
  await mkdir(join(dir, 'tests'), { recursive: true });
  if (name === '10s') await writeFile(join(dir, 'tests', 'test_ten_seconds.py'), TEN_SECONDS);
  else await writeFile(join(dir, 'tests', 'test_thousand.py'), thousand());
  return { workspace, dir, command: `${PYTEST} -q tests` };
}

async function main() {
  console.log(`# Action overhead: ${machine()}`);
  console.log(`${RUNS} runs per variant after a warm-up, alternating; median wall time\n`);
  const gateway = WITH_GATEWAY ? await startPushgateway() : undefined;
  const rows = [['suite', 'variant', 'median', 'runs', 'ratio', 'overhead']];
  const verdicts = [];
  try {
    for (const suite of SUITES) {
      const { workspace, dir, command } = await prepare(suite);
      const inputs = { command, 'working-directory': 'suite', 'report-paths': 'report.xml' };
      const variants = [
        [
          'bare command',
          () =>
            timed('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
              cwd: dir,
            }),
        ],
        ['action, no gateway', () => runActionTimed(workspace, inputs)],
      ];
      if (gateway !== undefined) {
        const pushing = { ...inputs, 'pushgateway-url': gateway.url, suite: `overhead-${suite}` };
        variants.push(['action + gateway', () => runActionTimed(workspace, pushing)]);
      }
      const times = new Map(variants.map(([name]) => [name, []]));
      for (const [, run] of variants) await run(); // warm-up: bytecode, page cache
      for (let i = 0; i < RUNS; i++) {
        // Rotate the order, so no variant always runs right after another one.
        for (let j = 0; j < variants.length; j++) {
          const [name, run] = variants[(i + j) % variants.length];
          const result = await run();
          if (result.code !== 0) throw new Error(`${suite} ${name} failed:\n${result.out}`);
          times.get(name).push(result.seconds);
        }
      }
      await rm(workspace, { recursive: true, force: true });
      const bare = median(times.get('bare command'));
      for (const [name, values] of times) {
        const m = median(values);
        const isBare = name === 'bare command';
        rows.push([
          suite,
          name,
          `${m.toFixed(3)} s`,
          values.map((v) => v.toFixed(2)).join(' '),
          isBare ? '' : (m / bare).toFixed(3),
          isBare ? '' : `${m - bare >= 0 ? '+' : ''}${(m - bare).toFixed(3)} s`,
        ]);
        if (isBare) continue;
        if (suite === '10s') {
          verdicts.push(
            `10 s suite, ${name}: ratio ${(m / bare).toFixed(3)} (target < 1.03): ${m / bare < 1.03 ? 'met' : 'NOT met'}`,
          );
        }
        if (suite === '1k') {
          verdicts.push(
            `1k-test suite, ${name}: +${(m - bare).toFixed(3)} s (target < 0.3 s): ${m - bare < 0.3 ? 'met' : 'NOT met'}`,
          );
        }
      }
    }
  } finally {
    await gateway?.stop();
  }
  printTable(rows);
  if (verdicts.length > 0) console.log(`\n${verdicts.join('\n')}`);
}

await main();
