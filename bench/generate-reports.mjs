/**
 * Synthetic reports for the benchmarks: JUnit XML (plain or verbose: failures with stack traces,
 * properties, system-out) and Jest JSON of any number of test cases, written as streams.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Writes `lines()` to `path` through a stream, honouring back-pressure. */
export async function writeLines(path, count, head, line, tail) {
  const out = createWriteStream(path);
  out.write(head);
  let buffer = '';
  for (let i = 0; i < count; i++) {
    buffer += line(i);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(buffer + tail);
  out.end();
  await once(out, 'finish');
}

export function junitCase(i, verbose) {
  const classname = `tests.module_${i % 97}.TestClass${i % 13}`;
  const name = `test_case_${i}[param-${i % 7}]`;
  const time = ((i % 1000) / 1000).toFixed(3);
  if (!verbose) {
    const body =
      i % 50 === 0 ? `<failure message="assert ${i} == ${i + 1}">AssertionError</failure>` : '';
    return `    <testcase classname="${classname}" name="${name}" file="tests/module_${i % 97}.py" line="${i % 500}" time="${time}">${body}</testcase>\n`;
  }
  const failure =
    i % 10 === 0
      ? `<failure message="AssertionError: expected ${i} got ${i + 1}">Traceback (most recent call last):\n  File "tests/module_${i % 97}.py", line ${i % 500}, in ${name}\n    assert compute(${i}) == ${i + 1}\nAssertionError: expected ${i} got ${i + 1}</failure>`
      : '';
  return (
    `    <testcase classname="${classname}" name="${name}" file="tests/module_${i % 97}.py" line="${i % 500}" time="${time}">` +
    `<properties><property name="latency_ms.op_${i % 5}.p95" value="${(i % 100) / 10}"/>` +
    `<property name="owner" value="team-${i % 3}"/></properties>${failure}` +
    `<system-out>worker gw${i % 4} handled request ${i} in ${i % 37} ms</system-out></testcase>\n`
  );
}

export async function makeJunit(path, count, verbose) {
  await writeLines(
    path,
    count,
    '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n  <testsuite name="pytest">\n',
    (i) => junitCase(i, verbose),
    '  </testsuite>\n</testsuites>\n',
  );
}

export async function makeJest(path, count) {
  const perFile = 100;
  const files = Math.ceil(count / perFile);
  await writeLines(
    path,
    files,
    `{"numTotalTests":${count},"success":false,"testResults":[`,
    (f) => {
      const assertions = [];
      for (let j = 0; j < perFile && f * perFile + j < count; j++) {
        const i = f * perFile + j;
        const failed = i % 50 === 0;
        assertions.push(
          JSON.stringify({
            ancestorTitles: [`Suite ${f}`, `group ${j % 5}`],
            duration: i % 40,
            failureMessages: failed
              ? [
                  `Error: expected ${i} to be ${i + 1}\n    at Object.<anonymous> (src/f${f}.test.ts:${j}:5)`,
                ]
              : [],
            fullName: `Suite ${f} group ${j % 5} works for case ${i}`,
            invocations: 1,
            status: failed ? 'failed' : 'passed',
            title: `works for case ${i}`,
          }),
        );
      }
      return `${f === 0 ? '' : ','}{"name":"/repo/src/f${f}.test.ts","status":"passed","message":"","assertionResults":[${assertions.join(',')}]}`;
    },
    ']}\n',
  );
}
