import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { nameUnder, plainClassName, splitQualifiedName } from '../../src/reports/dotnet-names.js';
import { detectFormat } from '../../src/reports/detect.js';
import { readHead } from '../../src/reports/text.js';
import { parseTrx } from '../../src/reports/trx.js';
import { xmlRootIs } from '../../src/reports/xml-stream.js';
import { fixture } from './helpers.js';

describe('.NET test names', () => {
  it('splitQualifiedName splits at the last dot before the arguments', () => {
    expect(splitQualifiedName('Ns.Class.Method')).toEqual({
      classname: 'Ns.Class',
      name: 'Method',
    });
    expect(splitQualifiedName('Ns.Class.Method(1.5, "a.b")')).toEqual({
      classname: 'Ns.Class',
      name: 'Method(1.5, "a.b")',
    });
    expect(splitQualifiedName('Method')).toEqual({ classname: '', name: 'Method' });
  });

  it('nameUnder strips the class only when the name starts with it', () => {
    expect(nameUnder('Ns.C', 'Ns.C.M(x: 1)')).toBe('M(x: 1)');
    expect(nameUnder('Ns.C', 'A custom display name')).toBe('A custom display name');
    expect(nameUnder('Ns.C', 'Ns.C.')).toBe('Ns.C.');
    expect(nameUnder('', 'Ns.C.M')).toBe('Ns.C.M');
  });

  it('plainClassName drops the assembly qualification, not generic arguments', () => {
    expect(plainClassName('Ns.C, Ns.Tests, Version=1.0.0.0')).toBe('Ns.C');
    expect(plainClassName('Ns.Box`1[[System.Int32, mscorlib]], Ns')).toBe(
      'Ns.Box`1[[System.Int32, mscorlib]]',
    );
    expect(plainClassName('Ns.C')).toBe('Ns.C');
  });
});

describe('XML root detection', () => {
  it('looks past the declaration, comments, a DOCTYPE and a BOM-less prefix', () => {
    expect(
      xmlRootIs('<?xml version="1.0"?>\n<!-- a <b> -->\n<!DOCTYPE x>\n<a:TestRun>', ['TestRun']),
    ).toBe(true);
    expect(xmlRootIs('<TestRunX>', ['TestRun'])).toBe(false);
    expect(xmlRootIs('not xml <TestRun>', ['TestRun'])).toBe(false);
  });

  it('each .NET fixture is detected as its format, and none as JUnit', async () => {
    const cases: [string, string][] = [
      ['nunit3/nunit3-console.xml', 'nunit3'],
      ['nunit2/nunit-console.xml', 'nunit2'],
      ['xunit-net/xunit-console.xml', 'xunit-net'],
      ['trx/vstest-mstest.trx', 'trx'],
      ['trx/edge/prefixed-bom.trx', 'trx'],
      ['trx/edge/definitions-first.trx', 'trx'],
      ['junit/pytest-xunit1.xml', 'junit'],
    ];
    for (const [file, format] of cases) {
      expect(detectFormat(await readHead(fixture(file))), file).toBe(format);
    }
  });

  it('a prolog that never reaches a root element is refused after a MiB', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotnet-names-'));
    const file = join(dir, 'comments.trx');
    await writeFile(file, `<?xml version="1.0"?>\n<!--${'x'.repeat(1100 * 1024)}-->\n<TestRun/>`);
    await expect(parseTrx(file)).rejects.toThrow(/no <TestRun> root element in the first MiB/);
  });
});
