/**
 * xUnit.net v2 XML (`<assemblies>`), as written by the xUnit.net console and MSBuild runners
 * (`-xml`) and by xUnit.net v3 (same format, later schema versions): `<assembly>` > `<collection>` >
 * `<test>` with `result` Pass/Fail/Skip/NotRun, `time`, `type`, `method`, `name`,
 * `<failure><message>`, `<reason>` and `<traits>`; `<errors>` holds failures outside any test
 * (class, collection or assembly cleanup, fatal runner errors). Streamed (see xml-stream.ts).
 * Format: https://xunit.net/docs/format-xml-v2
 */
import type { TestCase, TestStatus } from '../model.js';
import { messageOf, nameUnder, parseTimeSpan } from './dotnet-names.js';
import { FigureSink } from './figures.js';
import { detach, Interner, parseSeconds, testId } from './ids.js';
import { type ParsedReport, type ReportParser } from './types.js';
import { streamXml, xmlRootIs, type XmlFormat } from './xml-stream.js';
import { TestTable } from '../tables/test-table.js';

const FORMAT: XmlFormat = { label: 'xUnit.net XML', roots: ['assemblies'] };

/** Most warnings about unknown results kept per report. */
const MAX_STATUS_WARNINGS = 100;

const RESULTS: Readonly<Record<string, TestStatus>> = {
  Pass: 'passed',
  Fail: 'failed',
  Skip: 'skipped',
  // v3 explicit tests that were not asked for: not run.
  NotRun: 'skipped',
};

interface OpenTest {
  readonly id: string;
  readonly name: string;
  readonly classname: string;
  readonly file?: string;
  readonly line?: number;
  readonly status: TestStatus;
  readonly duration: number | undefined;
  message: string | undefined;
}

/** Which element's text is being collected. */
type TextOwner = 'message' | 'reason' | undefined;

function finish(open: OpenTest): TestCase {
  const message = open.status === 'passed' ? undefined : open.message;
  return {
    id: open.id,
    name: open.name,
    classname: open.classname,
    file: open.file,
    line: open.line,
    status: open.status,
    durationSeconds: open.duration,
    message,
  };
}

/**
 * Streams one xUnit.net XML file into tests and figures. Traits become figures of their test
 * when their name follows the figures convention (`[Trait("latency_ms.checkout.p95", "12")]`).
 * Each `<error>` becomes a test with status `error`, named `[<type>]` in the class (or
 * collection) it names, or in the assembly for fatal errors: a cleanup that failed fails the run
 * although every test passed, and must show.
 */
export async function parseXunitNet(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const sink = new FigureSink();
  const strings = new Interner();
  let assembly = '';
  let current: OpenTest | undefined;
  let inFailure = false;
  let textOwner: TextOwner;
  let statusWarnings = 0;

  await streamXml(filePath, FORMAT, {
    open(tag, text) {
      const attrs = tag.attributes;
      switch (tag.name) {
        case 'assembly':
          assembly = strings.get(attrs.name ?? '');
          return;
        case 'test': {
          const classname = strings.get(attrs.type ?? '');
          const display = attrs.name ?? attrs.method ?? '';
          const id = detach(testId(classname, nameUnder(classname, display)));
          const result = attrs.result ?? '';
          let status = RESULTS[result];
          if (status === undefined) {
            if (statusWarnings++ < MAX_STATUS_WARNINGS) {
              sink.warnings.push(`test "${id}": result "${result}" counted as skipped`);
            }
            status = 'skipped';
          }
          const line = Number.parseInt(attrs['source-line'] ?? '', 10);
          const file = attrs['source-file'];
          current = {
            id,
            name: classname === '' ? id : id.slice(classname.length + 1),
            classname,
            file: file === undefined || file === '' ? undefined : strings.get(file),
            line: line > 0 ? line : undefined,
            status,
            duration: parseSeconds(attrs.time) ?? parseTimeSpan(attrs['time-rtf']),
            message: undefined,
          };
          return;
        }
        case 'error': {
          const classname = strings.get(attrs.name ?? assembly);
          const type = attrs.type ?? 'error';
          const id = detach(testId(classname, `[${type}]`));
          current = {
            id,
            name: classname === '' ? id : id.slice(classname.length + 1),
            classname,
            status: 'error',
            duration: undefined,
            message: undefined,
          };
          return;
        }
        case 'failure':
          inFailure = true;
          return;
        case 'message':
        case 'reason':
          if (current?.message !== undefined || tag.selfClosing) return;
          if (tag.name === 'reason' || inFailure) {
            textOwner = tag.name;
            text.start();
          }
          return;
        case 'trait':
          if (current !== undefined && attrs.name !== undefined) {
            sink.add(current.id, attrs.name, attrs.value);
          }
          return;
        default:
          return;
      }
    },
    close(name, text) {
      if (name === textOwner) {
        if (current !== undefined) current.message ??= messageOf(text.take());
        textOwner = undefined;
        return;
      }
      switch (name) {
        case 'failure':
          inFailure = false;
          return;
        case 'test':
        case 'error':
          if (current !== undefined) tests.push(finish(current));
          current = undefined;
          return;
        default:
          return;
      }
    },
  });
  return { format: 'xunit-net', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of xUnit.net v2 XML. */
export const xunitNetParser: ReportParser = {
  format: 'xunit-net',
  detect: (head) => xmlRootIs(head, FORMAT.roots),
  parse: parseXunitNet,
};
