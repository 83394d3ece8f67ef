/**
 * The hostile XML corpus (`__tests__/fixtures/hostile`, made for the JUnit parser) given to each
 * .NET parser as if the user had named its format: every file is either read or refused with a
 * ReportError naming it, never another exception, and no entity is ever expanded.
 */
import { readdir } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { nunit2Parser } from '../../src/reports/nunit2.js';
import { nunit3Parser } from '../../src/reports/nunit3.js';
import { trxParser } from '../../src/reports/trx.js';
import { ReportError } from '../../src/reports/types.js';
import { xunitNetParser } from '../../src/reports/xunit-net.js';
import { fixture } from './helpers.js';

const PARSERS = [nunit3Parser, nunit2Parser, xunitNetParser, trxParser];
const ENTITIES = [
  'billion-laughs.xml',
  'quadratic-blowup.xml',
  'xxe-file.xml',
  'xxe-parameter.xml',
];

describe('the .NET parsers on hostile XML', () => {
  it('read or refuse every file with a ReportError naming it', async () => {
    const files = (await readdir(fixture('hostile'))).filter((file) => file.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(20);
    for (const parser of PARSERS) {
      for (const file of files) {
        const path = fixture(`hostile/${file}`);
        const outcome = await parser.parse(path).catch((error: unknown) => error);
        if (outcome instanceof Error) {
          expect(outcome, `${parser.format} ${file}`).toBeInstanceOf(ReportError);
          expect(outcome.message.startsWith(`${path}: `), outcome.message).toBe(true);
        } else {
          // Only a file whose root is this format's could be read: none of the corpus is.
          expect.fail(`${parser.format} read ${file}`);
        }
      }
    }
  });

  it('never expand entities', async () => {
    for (const parser of PARSERS) {
      for (const file of ENTITIES) {
        await expect(
          parser.parse(fixture(`hostile/${file}`)),
          `${parser.format} ${file}`,
        ).rejects.toThrow(/DOCTYPE\/entity declarations are not allowed/);
      }
    }
  });
});
