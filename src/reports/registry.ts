/** Every report parser, in the order format detection tries them. */
import type { ReportFormat } from '../model.js';
import { ctrfParser } from './ctrf.js';
import { goTestJsonParser } from './go-test-json.js';
import { jestJsonParser } from './jest-json.js';
import { junitParser } from './junit.js';
import { mochaJsonParser } from './mocha-json.js';
import { nunit2Parser } from './nunit2.js';
import { nunit3Parser } from './nunit3.js';
import { playwrightJsonParser } from './playwright-json.js';
import { pytestBenchmarkParser } from './pytest-benchmark.js';
import { pytestJsonParser } from './pytest-json.js';
import { trxParser } from './trx.js';
import type { ReportParser } from './types.js';
import { xunitNetParser } from './xunit-net.js';

/**
 * All parsers, most specific detection first: pytest-benchmark and CTRF before pytest-json and
 * Jest, whose detection keys are more common.
 */
export const PARSERS: readonly ReportParser[] = [
  junitParser,
  pytestBenchmarkParser,
  ctrfParser,
  pytestJsonParser,
  jestJsonParser,
  playwrightJsonParser,
  mochaJsonParser,
  goTestJsonParser,
  // XML by root element: <test-run>, <test-results>, <assemblies>, <TestRun>.
  nunit3Parser,
  nunit2Parser,
  xunitNetParser,
  trxParser,
];

/** The parser of `format`. */
export function parserFor(format: ReportFormat): ReportParser {
  const parser = PARSERS.find((candidate) => candidate.format === format);
  if (parser === undefined) throw new Error(`no parser for report format "${format as string}"`);
  return parser;
}
