/**
 * JUnit XML, as written by pytest `--junitxml` (xunit1 and xunit2), jest-junit, Node's
 * `--test-reporter=junit`, go-junit-report and gotestsum, and Maven Surefire. Streamed with saxes
 * in constant memory: no DOM is built and the file is never read whole.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

import type { TestCase } from '../model.js';
import { FigureSink } from './figures.js';
import { notRun, outranks, statusOf, type Outcome } from './junit-outcome.js';
import { firstLine, parseSeconds, testId } from './ids.js';
import { readTextChunks } from './text.js';
import { ReportError, type ParsedReport, type ReportParser } from './types.js';
import { TestTable } from '../tables/test-table.js';

/** Most prolog (XML declaration, comments, DOCTYPE) accepted before the root element. */
const MAX_PROLOG_CHARS = 1024 * 1024;

/** Thrown (and turned into a ReportError) for declarations that are never accepted. */
const ENTITY_ERROR = 'DOCTYPE/entity declarations are not allowed';

/** What is known about the `<testcase>` being read. */
interface OpenCase {
  /** `classname.name`. */
  readonly id: string;
  readonly name: string;
  readonly classname: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly duration: number | undefined;
  outcome: Outcome | undefined;
  /** The testcase's own `status` or `result` attribute says it did not run. */
  notRun: boolean;
  skipType: string | undefined;
  message: string | undefined;
  /** `<rerunFailure>`/`<rerunError>` children: runs that failed again. */
  reruns: number;
  /** `<flakyFailure>`/`<flakyError>` children: failed runs before a pass. */
  flakyRuns: number;
}

/** Element whose text is being collected, and why. */
type TextTarget = 'message' | 'property' | undefined;

function attr(tag: SaxesTagPlain, name: string): string | undefined {
  return tag.attributes[name];
}

/**
 * The `line` attribute, 1-based. pytest writes its 0-based item line (`location[1]`), recognised
 * by pytest's default suite name or a `.py` file.
 */
function parseLine(value: string | undefined, zeroBased: boolean): number | undefined {
  if (value === undefined) return undefined;
  const line = Number.parseInt(value, 10) + (zeroBased ? 1 : 0);
  return Number.isInteger(line) && line > 0 ? line : undefined;
}

/** Node's junit reporter writes `classname="test"` everywhere; the suite path says more. */
function classnameOf(tag: SaxesTagPlain, suites: readonly string[]): string {
  const classname = attr(tag, 'classname') ?? attr(tag, 'class') ?? '';
  if ((classname === '' || classname === 'test') && suites.length > 0) {
    return suites.filter((suite) => suite !== '').join(' > ');
  }
  return classname;
}

/** go test's own framing lines, which go-junit-report and gotestsum copy into messages. */
const GO_FRAMING = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)|--- (?:FAIL|SKIP|PASS):)/;

/**
 * First meaningful line of a message attribute or element text: go test's framing lines are
 * skipped, and go-junit-report's placeholder message "Failed" counts as no message.
 */
function messageLine(text: string | undefined): string | undefined {
  if (text === undefined || text === 'Failed') return undefined;
  if (!text.includes('=== ') && !text.includes('--- ')) return firstLine(text);
  const lines = text.split('\n', 20).filter((line) => !GO_FRAMING.test(line));
  return firstLine(lines.join('\n'));
}

function finish(open: OpenCase): TestCase {
  const retries = open.reruns + open.flakyRuns;
  const test: { -readonly [K in keyof TestCase]: TestCase[K] } = {
    id: open.id,
    name: open.name,
    classname: open.classname,
    file: open.file,
    line: open.line,
    status: statusOf(open),
    durationSeconds: open.duration,
  };
  // Fields most tests lack are only added when present: 8 bytes each per test less.
  if (open.message !== undefined) test.message = open.message;
  if (retries > 0) test.retries = retries;
  return test;
}

/**
 * Refuses entity declarations before saxes even sees them, and a prolog that never ends (a
 * DOCTYPE of megabytes is an attack, not a report).
 */
function checkProlog(chunk: string, prologChars: number): void {
  const root = chunk.search(/<testsuites?[\s/>]/);
  const prolog = root < 0 ? chunk : chunk.slice(0, root);
  if (prolog.includes('<!ENTITY')) throw new Error(ENTITY_ERROR);
  if (root < 0 && prologChars > MAX_PROLOG_CHARS) {
    throw new Error('no <testsuites> or <testsuite> root element in the first MiB');
  }
}

/** A ReportError naming the file and the line, from a saxes error or one of the handlers. */
function toReportError(filePath: string, error: unknown, line: number): ReportError {
  if (error instanceof ReportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // saxes writes "<fileName>:<line>:<column>: <message>".
  const saxes = message.startsWith(`${filePath}:`)
    ? /^(\d+):(\d+): ([^]*)$/.exec(message.slice(filePath.length + 1))
    : null;
  const where = saxes ? `line ${saxes[1]}, column ${saxes[2]}` : `line ${line}`;
  return new ReportError(filePath, `invalid JUnit XML at ${where}: ${saxes?.[3] ?? message}`);
}

/**
 * Streams one JUnit XML file into tests and figures. `<properties>` of a testcase become figures
 * of that test; `<properties>` of a testsuite become figures whose `test` is the suite name.
 */
export async function parseJunit(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const sink = new FigureSink();
  const suites: string[] = [];
  let current: OpenCase | undefined;
  let textTarget: TextTarget;
  let text = '';
  let property: { owner: string; name: string } | undefined;
  const state = { sawRoot: false };
  let prologChars = 0;

  const parser = new SaxesParser<{ xmlns: false; fileName: string }>({
    fileName: filePath,
    xmlns: false,
  });
  parser.on('doctype', (doctype) => {
    // A bare <!DOCTYPE name> is harmless; a subset or an external id is refused outright.
    if (/[[<]|\b(SYSTEM|PUBLIC)\b/.test(doctype)) throw new Error(ENTITY_ERROR);
  });
  parser.on('opentag', (tag) => {
    const name = tag.name;
    if (!state.sawRoot) {
      state.sawRoot = true;
      if (name !== 'testsuites' && name !== 'testsuite') {
        throw new Error(`root element <${name}> is not <testsuites> or <testsuite>`);
      }
    }
    if (current !== undefined) {
      switch (name) {
        case 'failure':
        case 'error':
        case 'skipped': {
          // The most severe outcome decides (error, then failure, then skipped); the first of
          // equal severity keeps its message.
          if (outranks(name, current.outcome)) {
            if (textTarget === 'message') stopText();
            current.outcome = name;
            current.skipType = attr(tag, 'type');
            current.message = messageLine(attr(tag, 'message'));
            if (current.message === undefined && !tag.isSelfClosing) collectText('message');
          }
          return;
        }
        case 'rerunFailure':
        case 'rerunError':
          current.reruns += 1;
          return;
        case 'flakyFailure':
        case 'flakyError':
          current.flakyRuns += 1;
          return;
        case 'property':
          property = {
            owner: current.id,
            name: attr(tag, 'name') ?? '',
          };
          break;
        default:
          return;
      }
    }
    switch (name) {
      case 'testsuite':
        suites.push(attr(tag, 'name') ?? '');
        return;
      case 'testcase': {
        const file = attr(tag, 'file');
        const pytest = suites[0] === 'pytest' || file?.endsWith('.py') === true;
        // No copies: the strings live only until the test is pushed into the table.
        const classname = classnameOf(tag, suites);
        const name = attr(tag, 'name') ?? '';
        current = {
          id: testId(classname, name),
          name,
          classname,
          file,
          line: parseLine(attr(tag, 'line'), pytest),
          duration: parseSeconds(attr(tag, 'time')),
          outcome: undefined,
          notRun: notRun(tag.attributes),
          skipType: undefined,
          message: undefined,
          reruns: 0,
          flakyRuns: 0,
        };
        return;
      }
      case 'property': {
        property ??= { owner: suites.at(-1) ?? '', name: attr(tag, 'name') ?? '' };
        const value = attr(tag, 'value');
        if (value !== undefined) {
          sink.add(property.owner, property.name, value);
          property = undefined;
        } else if (!tag.isSelfClosing) {
          collectText('property');
        } else {
          property = undefined;
        }
        return;
      }
      default:
        return;
    }
  });
  const onText = (chunk: string): void => {
    // Only the start of a message is needed for its first line.
    if (textTarget !== undefined && text.length < 64 * 1024) text += chunk;
  };
  // Text is only asked for while it is needed: without a handler saxes does not build it.
  const collectText = (target: TextTarget): void => {
    textTarget = target;
    text = '';
    parser.on('text', onText);
    parser.on('cdata', onText);
  };
  const stopText = (): void => {
    textTarget = undefined;
    text = '';
    parser.off('text');
    parser.off('cdata');
  };
  parser.on('closetag', (tag) => {
    const name = tag.name;
    if (textTarget === 'message' && current !== undefined && name === current.outcome) {
      current.message = messageLine(text);
      stopText();
    } else if (textTarget === 'property' && name === 'property' && property !== undefined) {
      sink.add(property.owner, property.name, text.trim());
      stopText();
      property = undefined;
    } else if (name === 'testcase' && current !== undefined) {
      tests.push(finish(current));
      current = undefined;
    } else if (name === 'testsuite') {
      suites.pop();
    }
  });

  try {
    for await (const chunk of readTextChunks(filePath)) {
      if (!state.sawRoot) checkProlog(chunk, (prologChars += chunk.length));
      parser.write(chunk);
    }
    parser.close();
  } catch (error) {
    throw toReportError(filePath, error, parser.line);
  }
  return { format: 'junit', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of JUnit XML reports. */
export const junitParser: ReportParser = {
  format: 'junit',
  detect(head: string): boolean {
    // The root element, past the XML declaration, comments and whitespace.
    const root =
      /^(?:\s*(?:<\?[^]*?\?>|<!--[^]*?-->|<!DOCTYPE[^[>]*(?:\[[^]*?\])?\s*>))*\s*<testsuites?[\s/>]/;
    return root.test(head);
  },
  parse: parseJunit,
};
