import { describe, expect, it } from 'vitest';

import { detectFormat, readHead } from '../../src/reports/detect.js';
import { PARSERS, parserFor } from '../../src/reports/index.js';
import { REPORT_FORMATS } from '../../src/model.js';
import { fixture } from './helpers.js';

describe('detectFormat on every real fixture', () => {
  const cases: [string, string][] = [
    ['junit/pytest-xunit1.xml', 'junit'],
    ['junit/pytest-xunit2.xml', 'junit'],
    ['junit/jest-junit.xml', 'junit'],
    ['junit/node-junit.xml', 'junit'],
    ['junit/gotestsum.xml', 'junit'],
    ['junit/maven-surefire.xml', 'junit'],
    ['junit/edge/bom-utf8.xml', 'junit'],
    ['junit/edge/utf16le-bom.xml', 'junit'],
    ['junit/edge/utf16be-bom.xml', 'junit'],
    ['pytest-json/report.json', 'pytest-json'],
    ['jest-json/jest.json', 'jest-json'],
    ['vitest-json/vitest.json', 'jest-json'],
    ['jest-json/edge/bom.json', 'jest-json'],
    ['ctrf/report.json', 'ctrf'],
    ['pytest-benchmark/benchmark.json', 'pytest-benchmark'],
  ];
  for (const [file, format] of cases) {
    it(`${file} is ${format}`, async () => {
      expect(detectFormat(await readHead(fixture(file)))).toBe(format);
    });
  }

  it('unknown content and empty files are no format', async () => {
    expect(detectFormat(await readHead(fixture('junit/edge/not-junit.xml')))).toBeUndefined();
    expect(detectFormat(await readHead(fixture('junit/edge/empty.xml')))).toBeUndefined();
    expect(detectFormat('{"name": "my-package", "version": "1.0.0"}')).toBeUndefined();
  });
});

describe('readHead', () => {
  it('strips a UTF-8 BOM and decodes UTF-16 LE and BE', async () => {
    for (const file of ['bom-utf8.xml', 'utf16le-bom.xml', 'utf16be-bom.xml']) {
      const head = await readHead(fixture(`junit/edge/${file}`));
      expect(head.startsWith('<?xml')).toBe(true);
      expect(head).toContain('café');
    }
  });

  it('reads at most 64 KiB', async () => {
    const head = await readHead(fixture('pytest-benchmark/benchmark.json'));
    expect(head.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('names the file it cannot read', async () => {
    await expect(readHead('/nonexistent/report.xml')).rejects.toThrow(
      /\/nonexistent\/report\.xml: cannot read/,
    );
  });
});

describe('registry', () => {
  it('has one parser per format', () => {
    expect(PARSERS.map((p) => p.format).sort()).toEqual([...REPORT_FORMATS].sort());
    for (const format of REPORT_FORMATS) expect(parserFor(format).format).toBe(format);
  });
});
