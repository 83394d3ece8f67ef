/**
 * Report parsing (docs/architecture.md): one parser per format, format detection and the
 * collection of every report of a run into one model.
 */
export { PARSERS, parserFor } from './registry.js';
export { detectFormat, HEAD_BYTES, readHead } from './detect.js';
export {
  collectReports,
  DEFAULT_REPORT_PATTERNS,
  mergeTests,
  type CollectedReports,
  type CollectOptions,
} from './collect.js';
export {
  BYTES_PER_MB,
  FigureSink,
  LATENCY_STATS,
  parseFigure,
  type FigureParse,
} from './figures.js';
export { sanitizeMetricName } from '../metrics/names.js';
export { splitPytestNodeId, testId } from './ids.js';
export { junitParser, parseJunit } from './junit.js';
export { parsePytestJson, pytestJsonParser } from './pytest-json.js';
export { jestJsonParser, parseJestJson } from './jest-json.js';
export { ctrfParser, parseCtrf } from './ctrf.js';
export { parsePytestBenchmark, pytestBenchmarkParser } from './pytest-benchmark.js';
export { parsePlaywrightJson, playwrightJsonParser } from './playwright-json.js';
export { parseMochaJson, mochaJsonParser } from './mocha-json.js';
export { goTestJsonParser, parseGoTestJson } from './go-test-json.js';
export { nunit3Parser, parseNunit3 } from './nunit3.js';
export { nunit2Parser, parseNunit2 } from './nunit2.js';
export { parseXunitNet, xunitNetParser } from './xunit-net.js';
export { parseTrx, trxParser } from './trx.js';
export { ReportError, type ParsedReport, type ReportParser } from './types.js';
