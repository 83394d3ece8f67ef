/**
 * Synthetic JSON reports for the benchmarks, one generator per JSON format, shaped like what each
 * runner writes (see the real fixtures under __tests__/fixtures/<format>/): one test in 10 fails
 * with a stack trace of `frames` lines, every test in Jest, Vitest, CTRF and Playwright carries
 * one latency figure where the format has a place for it. Written as streams, any size.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Writes the strings `parts` yields to `path`, honouring back-pressure. */
export async function writeParts(path, parts) {
  const out = createWriteStream(path);
  let buffer = '';
  for (const part of parts) {
    buffer += part;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const stackOf = (i, frames) =>
  Array.from(
    { length: frames },
    (_, k) => `    at step${k} (/repo/src/module_${i % 97}/handler.ts:${(i + k) % 400}:${k % 30})`,
  ).join('\n');

/** Jest `--json`: 100 tests a file; a failure message with `frames` stack lines in 1 test of 10. */
function* jest(count, { frames = 80, failEvery = 10 } = {}) {
  const perFile = 100;
  yield `{"numFailedTestSuites":0,"numTotalTests":${count},"success":false,"testResults":[`;
  for (let f = 0; f * perFile < count; f++) {
    const tests = [];
    for (let j = 0; j < perFile && f * perFile + j < count; j++) {
      const i = f * perFile + j;
      const failed = i % failEvery === 0;
      tests.push(
        JSON.stringify({
          ancestorTitles: [`Suite ${f}`, `group ${j % 5}`],
          duration: i % 40,
          failureDetails: [],
          failureMessages: failed
            ? [
                `Error: expect(received).toBe(expected)\n\nExpected: ${i + 1}\nReceived: ${i}\n${stackOf(i, frames)}`,
              ]
            : [],
          fullName: `Suite ${f} group ${j % 5} works for case ${i}`,
          invocations: 1,
          location: null,
          numPassingAsserts: failed ? 0 : 1,
          retryReasons: [],
          status: failed ? 'failed' : 'passed',
          title: `works for case ${i}`,
        }),
      );
    }
    yield `${f === 0 ? '' : ','}{"assertionResults":[${tests.join(',')}],"endTime":1,"message":"","name":"/repo/src/f${f}.test.ts","startTime":0,"status":"passed","summary":""}`;
  }
  yield '],"wasInterrupted":false}\n';
}

/** pytest-json-report: setup/call/teardown per test, a crash and longrepr for failures. */
function* pytestJson(count, { frames = 20 } = {}) {
  yield '{"created":1700000000.0,"duration":12.5,"exitcode":1,"root":"/repo","environment":{},';
  yield `"summary":{"passed":${count - Math.ceil(count / 10)},"failed":${Math.ceil(count / 10)},"total":${count},"collected":${count}},"tests":[`;
  for (let i = 0; i < count; i++) {
    const failed = i % 10 === 0;
    const stage = (outcome) => ({ duration: (i % 100) / 1e4, outcome });
    const call = failed
      ? {
          ...stage('failed'),
          crash: {
            path: `/repo/tests/test_m${i % 97}.py`,
            lineno: i % 400,
            message: `AssertionError: assert ${i} == ${i + 1}`,
          },
          longrepr: `${stackOf(i, frames)}\nE   AssertionError: assert ${i} == ${i + 1}`,
        }
      : stage('passed');
    yield `${i === 0 ? '' : ','}${JSON.stringify({
      nodeid: `tests/test_m${i % 97}.py::TestC${i % 13}::test_case_${i}[p${i % 7}]`,
      lineno: i % 400,
      outcome: failed ? 'failed' : 'passed',
      keywords: [`test_case_${i}`, `TestC${i % 13}`, 'tests'],
      setup: stage('passed'),
      call,
      teardown: stage('passed'),
      user_properties: [{ [`latency_ms.op_${i % 5}.p95`]: (i % 100) / 10 }],
    })}`;
  }
  yield '],"warnings":[]}\n';
}

/** CTRF: suite path, file, line, a trace for failures, a latency figure in `extra`. */
function* ctrf(count, { frames = 20 } = {}) {
  yield `{"reportFormat":"CTRF","specVersion":"0.0.0","results":{"tool":{"name":"bench"},"summary":{"tests":${count},"passed":0,"failed":0,"skipped":0,"pending":0,"other":0,"start":0,"stop":1},"tests":[`;
  for (let i = 0; i < count; i++) {
    const failed = i % 10 === 0;
    yield `${i === 0 ? '' : ','}${JSON.stringify({
      name: `works for case ${i}`,
      status: failed ? 'failed' : 'passed',
      duration: i % 40,
      suite: [`Suite ${i % 300}`, `group ${i % 5}`],
      filePath: `src/f${i % 300}.test.ts`,
      line: i % 400,
      ...(failed ? { message: `expected ${i} to be ${i + 1}`, trace: stackOf(i, frames) } : {}),
      extra: { [`latency_ms.op_${i % 5}.p95`]: (i % 100) / 10 },
    })}`;
  }
  yield ']}}\n';
}

/** pytest-benchmark: one benchmark a test with its full stats. */
function* pytestBenchmark(count) {
  yield '{"machine_info":{"node":"bench","python_version":"3.11"},"commit_info":{"id":"abc"},"benchmarks":[';
  for (let i = 0; i < count; i++) {
    const mean = 1e-4 + (i % 100) * 1e-6;
    yield `${i === 0 ? '' : ','}${JSON.stringify({
      group: `group_${i % 20}`,
      name: `test_bench_${i}`,
      fullname: `benchmarks/test_b${i % 97}.py::test_bench_${i}`,
      params: null,
      param: null,
      extra_info: {},
      options: {
        disable_gc: false,
        timer: 'perf_counter',
        min_rounds: 5,
        max_time: 1,
        warmup: false,
      },
      stats: {
        min: mean * 0.9,
        max: mean * 1.5,
        mean,
        stddev: mean * 0.1,
        rounds: 100,
        median: mean,
        iqr: mean * 0.05,
        q1: mean * 0.97,
        q3: mean * 1.02,
        iqr_outliers: 1,
        stddev_outliers: 2,
        outliers: '2;1',
        ld15iqr: mean * 0.9,
        hd15iqr: mean * 1.1,
        ops: 1 / mean,
        total: mean * 100,
        iterations: 1,
      },
    })}`;
  }
  yield '],"datetime":"2026-01-01T00:00:00","version":"4.0.0"}\n';
}

/** Playwright: a file suite a 100 tests, one describe inside, one project, retries on failures. */
function* playwright(count, { frames = 20 } = {}) {
  yield '{"config":{"configFile":"/repo/playwright.config.ts","rootDir":"/repo/tests","projects":[{"id":"chromium","name":"chromium"}],"workers":2},"suites":[';
  const perFile = 100;
  for (let f = 0; f * perFile < count; f++) {
    const specs = [];
    for (let j = 0; j < perFile && f * perFile + j < count; j++) {
      const i = f * perFile + j;
      const failed = i % 10 === 0;
      const result = (status, retry) => ({
        workerIndex: 0,
        parallelIndex: 0,
        status,
        duration: i % 400,
        errors:
          status === 'failed'
            ? [{ message: `Error: expect(received).toBe(expected)\n${stackOf(i, frames)}` }]
            : [],
        ...(status === 'failed'
          ? {
              error: {
                message: `Error: expect(received).toBe(expected)\n${stackOf(i, frames)}`,
                stack: stackOf(i, frames),
              },
            }
          : {}),
        stdout: [],
        stderr: [],
        retry,
        startTime: '2026-01-01T00:00:00.000Z',
        annotations: [],
        attachments: [],
      });
      specs.push(
        JSON.stringify({
          title: `works for case ${i}`,
          ok: !failed,
          tags: [],
          tests: [
            {
              timeout: 30000,
              annotations: [
                { type: 'metric', description: `latency_ms.op_${i % 5}.p95=${(i % 100) / 10}` },
              ],
              expectedStatus: 'passed',
              projectId: 'chromium',
              projectName: 'chromium',
              results: failed ? [result('failed', 0), result('failed', 1)] : [result('passed', 0)],
              status: failed ? 'unexpected' : 'expected',
            },
          ],
          id: `${f}-${j}`,
          file: `f${f}.spec.ts`,
          line: j + 3,
          column: 5,
        }),
      );
    }
    yield `${f === 0 ? '' : ','}{"title":"f${f}.spec.ts","file":"f${f}.spec.ts","column":0,"line":0,"specs":[],"suites":[{"title":"Suite ${f}","file":"f${f}.spec.ts","column":6,"line":2,"specs":[${specs.join(',')}]}]}`;
  }
  yield '],"errors":[],"stats":{"startTime":"2026-01-01T00:00:00.000Z","duration":1,"expected":0,"skipped":0,"unexpected":0,"flaky":0}}\n';
}

/** mocha `--reporter json`: every test twice, in `tests` and in `passes` or `failures`. */
function* mocha(count, { frames = 20 } = {}) {
  const test = (i) => {
    const failed = i % 10 === 0;
    return JSON.stringify({
      title: `works for case ${i}`,
      fullTitle: `Suite ${i % 300} group ${i % 5} works for case ${i}`,
      file: `/repo/test/f${i % 300}.spec.js`,
      duration: i % 40,
      currentRetry: 0,
      speed: 'fast',
      err: failed
        ? {
            message: `expected ${i} to equal ${i + 1}`,
            stack: `AssertionError: expected ${i} to equal ${i + 1}\n${stackOf(i, frames)}`,
            actual: `${i}`,
            expected: `${i + 1}`,
            operator: 'strictEqual',
          }
        : {},
    });
  };
  const failures = Math.ceil(count / 10);
  yield `{"stats":{"suites":300,"tests":${count},"passes":${count - failures},"pending":0,"failures":${failures},"start":"2026-01-01T00:00:00.000Z","end":"2026-01-01T00:00:01.000Z","duration":1000},"tests":[`;
  for (let i = 0; i < count; i++) yield `${i === 0 ? '' : ','}${test(i)}`;
  yield '],"pending":[],"failures":[';
  for (let i = 0, n = 0; i < count; i += 10, n++) yield `${n === 0 ? '' : ','}${test(i)}`;
  yield '],"passes":[';
  for (let i = 0, n = 0; i < count; i++)
    if (i % 10 !== 0) yield `${n++ === 0 ? '' : ','}${test(i)}`;
  yield ']}\n';
}

/** go test -json: run, output, result events per test, 100 tests a package, output for failures. */
function* goTestJson(count, { frames = 5 } = {}) {
  const time = '"Time":"2026-01-01T00:00:00.000000000Z"';
  for (let p = 0; p * 100 < count; p++) {
    const pkg = `example.com/svc/module${p}`;
    yield `{${time},"Action":"start","Package":"${pkg}"}\n`;
    for (let j = 0; j < 100 && p * 100 + j < count; j++) {
      const i = p * 100 + j;
      const test = `TestCase${i}/sub_${j % 7}`;
      const failed = i % 10 === 0;
      const out = (text) =>
        `{${time},"Action":"output","Package":"${pkg}","Test":"${test}","Output":${JSON.stringify(`${text}\n`)}}\n`;
      yield `{${time},"Action":"run","Package":"${pkg}","Test":"${test}"}\n`;
      yield out(`=== RUN   ${test}`);
      if (failed) {
        yield out(`    handler_test.go:${j}: got ${i}, want ${i + 1}`);
        for (let k = 0; k < frames; k++)
          yield out(`        handler_test.go:${k}: context line ${k}`);
      }
      yield out(`--- ${failed ? 'FAIL' : 'PASS'}: ${test} (0.0${j % 10}s)`);
      yield `{${time},"Action":"${failed ? 'fail' : 'pass'}","Package":"${pkg}","Test":"${test}","Elapsed":0.0${j % 10}}\n`;
    }
    yield `{${time},"Action":"output","Package":"${pkg}","Output":"FAIL\\t${pkg}\\t0.5s\\n"}\n`;
    yield `{${time},"Action":"fail","Package":"${pkg}","Elapsed":0.5}\n`;
  }
}

/** Generators by report format: `(path, count, options) => Promise`. */
export const JSON_GENERATORS = {
  'jest-json': (path, count, options) => writeParts(path, jest(count, options)),
  'pytest-json': (path, count, options) => writeParts(path, pytestJson(count, options)),
  ctrf: (path, count, options) => writeParts(path, ctrf(count, options)),
  'pytest-benchmark': (path, count) => writeParts(path, pytestBenchmark(count)),
  'playwright-json': (path, count, options) => writeParts(path, playwright(count, options)),
  'mocha-json': (path, count, options) => writeParts(path, mocha(count, options)),
  'go-test-json': (path, count, options) => writeParts(path, goTestJson(count, options)),
};
