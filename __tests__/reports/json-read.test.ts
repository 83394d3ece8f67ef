import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCtrf } from '../../src/reports/ctrf.js';
import { parseJestJson } from '../../src/reports/jest-json.js';
import { forEachLine, streamJsonArrays, streamJsonFile } from '../../src/reports/json-read.js';
import { parsePytestJson } from '../../src/reports/pytest-json.js';
import { ReportError } from '../../src/reports/types.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rma-json-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function reportError(promise: Promise<unknown>): Promise<ReportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('syntax errors say where, never what', () => {
  it('line, column and byte of an error inside a test, no content of the file', async () => {
    const text =
      '{"numTotalTests": 2,\n "testResults": [\n  {"name": "é.test.ts", "assertionResults": []},\n' +
      '  {"name": "b.test.ts", "message": token-ghp_SECRET123}\n]}\n';
    const path = await file('secret.json', text);
    const error = await reportError(parseJestJson(path));
    const offset = text.indexOf('token-');
    const line = text.slice(0, offset).split('\n').length;
    const column = offset - text.lastIndexOf('\n', offset - 1);
    const byte = Buffer.byteLength(text.slice(0, offset));
    expect(error.message).toBe(
      `${path}: invalid JSON at line ${line}, column ${column} (byte ${byte}): invalid token`,
    );
    expect(error.message).not.toMatch(/ghp_|SECRET|token-/);
  });

  it('structure errors between tests and at the end', async () => {
    const cases: [string, RegExp][] = [
      ['{"tests": [1,,2]}', /line 1, column 14 \(byte 13\): expected a value$/],
      ['{"tests": []} trailing secret', /line 1, column 15 \(byte 14\): unexpected content after/],
      ['{"tests": [{"nodeid": "a"}', /line 1, column 27 \(byte 26\): unexpected end of the file$/],
      ['{"tests" [] }', /line 1, column 10 \(byte 9\): expected ':' after a property name$/],
    ];
    for (const [text, expected] of cases) {
      const error = await reportError(parsePytestJson(await file('case.json', text)));
      expect(error.message, text).toMatch(expected);
      expect(error.message).not.toContain('secret');
    }
  });

  it('a BOM counts in the byte offset; UTF-16 reports are read', async () => {
    const bom = await file('bom.json', Buffer.from('\uFEFF{"results": {"tests": [}}', 'utf8'));
    expect((await reportError(parseCtrf(bom))).message).toMatch(
      /line 1, column 24 \(byte 26\): expected a value$/,
    );
    const utf16 = await file(
      'utf16.json',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          '{"results": {"tool": {"name": "x"}, "tests": [{"name": "ü", "status": "passed"}]}}',
          'utf16le',
        ),
      ]),
    );
    expect((await parseCtrf(utf16)).tests.map((t) => t.name)).toEqual(['ü']);
  });
});

describe('streamJsonArrays', () => {
  it('hands over each element and returns the rest of the document', async () => {
    const path = await file(
      'doc.json',
      '{"a": 1, "tests": [{"n": 1}, {"n": 2}], "skipped": {"big": [1, 2]}, "z": [true]}',
    );
    const seen: unknown[] = [];
    const rest = await streamJsonArrays(
      path,
      { arrays: [['tests']], skip: ['skipped'] },
      (element, index) => seen.push([index, element]),
    );
    expect(seen).toEqual([
      [0, { n: 1 }],
      [1, { n: 2 }],
    ]);
    expect(rest).toEqual({ a: 1, tests: [], z: [true] });
  });

  it('keeps a "__proto__" key as data, as JSON.parse does, never as the prototype', async () => {
    const path = await file(
      'proto.json',
      '{"__proto__": {"polluted": true}, "meta": {"__proto__": [1]}, "tests": []}',
    );
    const rest = (await streamJsonArrays(path, { arrays: [['tests']] }, () => undefined)) as Record<
      string,
      unknown
    >;
    expect(rest).toEqual(
      JSON.parse('{"__proto__": {"polluted": true}, "meta": {"__proto__": [1]}, "tests": []}'),
    );
    expect(Object.getPrototypeOf(rest)).toBe(Object.prototype);
    expect('polluted' in rest).toBe(false);
    expect(Object.keys(rest)).toContain('__proto__');
  });
});

describe('reports of any size', () => {
  it('a value longer than a string can hold is a report error naming the file', async () => {
    const path = await file('long.json', `{"tests": [{"message": "${'x'.repeat(5000)}"}]}`);
    const error = await reportError(streamJsonFile(path, { select: () => 'parse' }, 1000));
    expect(error.message).toMatch(
      /long\.json: the JSON value starting at line 1, column 1 \(byte 0\) is longer than a JavaScript string can hold \(\d+ characters and more\): this report cannot be read/,
    );
  });

  it('lines of any length across chunks, CRLF endings, no final line break', async () => {
    const long = 'y'.repeat(200_000);
    const path = await file('lines.json', `a\r\n${long}\n\nlast`);
    const lines: [string, number][] = [];
    await forEachLine(path, (line, number) => lines.push([line, number]));
    expect(lines).toEqual([
      ['a\r', 1],
      [long, 2],
      ['', 3],
      ['last', 4],
    ]);
  });

  it('a Jest report larger than V8 string limit (600 MB) is read, not lost', async () => {
    const path = join(dir, 'huge.json');
    const out = createWriteStream(path);
    const stack = `Error: expected 1 to be 2\n${'    at frame (src/deep.test.ts:1:1)\n'.repeat(28_000)}`;
    const message = JSON.stringify(stack);
    out.write('{"numTotalTests": 600, "testResults": [');
    for (let i = 0; i < 600; i++) {
      const test = `{"title": "t${i}", "status": "failed", "ancestorTitles": [], "failureMessages": [${message}]}`;
      if (
        !out.write(
          `${i === 0 ? '' : ','}{"name": "/r/f${i}.test.ts", "assertionResults": [${test}]}`,
        )
      ) {
        await once(out, 'drain');
      }
    }
    out.end(']}');
    await once(out, 'finish');
    expect((await stat(path)).size).toBeGreaterThan(2 ** 29);
    const report = await parseJestJson(path);
    expect(report.tests).toHaveLength(600);
    expect(report.tests.at(599)).toMatchObject({
      id: '/r/f599.test.ts > t599',
      status: 'failed',
      message: 'Error: expected 1 to be 2',
    });
    await rm(path);
  }, 120_000);
});
