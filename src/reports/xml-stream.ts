/**
 * Streaming XML for the report parsers other than JUnit (NUnit 2 and 3, xUnit.net, TRX): saxes
 * over the file's text chunks, in memory bounded by what the caller keeps. No DOM is built and
 * the file is never read whole. The same guards as the JUnit parser: no entity declarations, no
 * DOCTYPE with a subset or an external id, and a prolog that must end within a MiB.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

import { readTextChunks } from './text.js';
import { ReportError } from './types.js';

/** Most prolog (XML declaration, comments, DOCTYPE) accepted before the root element. */
const MAX_PROLOG_CHARS = 1024 * 1024;

/** Most text kept from one element: messages only need their first line. */
export const MAX_TEXT_CHARS = 64 * 1024;

const ENTITY_ERROR = 'DOCTYPE/entity declarations are not allowed';

/** One start tag, its name without a namespace prefix. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly selfClosing: boolean;
}

/** Text of the element being read, collected only while asked for. */
export interface TextCapture {
  /** Starts collecting text (and CDATA) up to {@link MAX_TEXT_CHARS} characters. */
  start(): void;
  /** Whether text is being collected. */
  readonly active: boolean;
  /** The text collected since {@link start}, and stops collecting. */
  take(): string;
}

/** What a format's parser does with each tag. Exceptions abort the parse as a ReportError. */
export interface XmlVisitor {
  open(element: XmlElement, text: TextCapture): void;
  close(name: string, text: TextCapture): void;
}

/** How the format is named in errors, and which root elements it has. */
export interface XmlFormat {
  /** e.g. `NUnit 3 XML`, as in "invalid NUnit 3 XML at line 3". */
  readonly label: string;
  readonly roots: readonly string[];
}

/** The local name of `name` (`t:TestRun` is `TestRun`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Whether the first element of `head`, past the XML declaration, comments, whitespace and a
 * DOCTYPE, is one of `roots` (with or without a namespace prefix). Never throws.
 */
export function xmlRootIs(head: string, roots: readonly string[]): boolean {
  const match =
    /^(?:\s*(?:<\?[^]*?\?>|<!--[^]*?-->|<!DOCTYPE[^[>]*(?:\[[^]*?\])?\s*>))*\s*<([A-Za-z_][\w.:-]*)[\s/>]/.exec(
      head,
    );
  return match !== null && roots.includes(localName(match[1] ?? ''));
}

function rootList(roots: readonly string[]): string {
  const tags = roots.map((root) => `<${root}>`);
  return tags.length === 1 ? (tags[0] ?? '') : `${tags.slice(0, -1).join(', ')} or ${tags.at(-1)}`;
}

/** Refuses entity declarations before saxes sees them, and a prolog that never ends. */
function checkProlog(chunk: string, prologChars: number, roots: readonly string[]): void {
  const root = chunk.search(/<[A-Za-z_]/);
  const prolog = root < 0 ? chunk : chunk.slice(0, root);
  if (prolog.includes('<!ENTITY')) throw new Error(ENTITY_ERROR);
  if (root < 0 && prologChars > MAX_PROLOG_CHARS) {
    throw new Error(`no ${rootList(roots)} root element in the first MiB`);
  }
}

function toReportError(filePath: string, label: string, error: unknown, line: number): ReportError {
  if (error instanceof ReportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // saxes writes "<fileName>:<line>:<column>: <message>".
  const saxes = message.startsWith(`${filePath}:`)
    ? /^(\d+):(\d+): ([^]*)$/.exec(message.slice(filePath.length + 1))
    : null;
  const where = saxes ? `line ${saxes[1]}, column ${saxes[2]}` : `line ${line}`;
  return new ReportError(filePath, `invalid ${label} at ${where}: ${saxes?.[3] ?? message}`);
}

/**
 * Streams `filePath` through `visitor`. Throws a {@link ReportError} naming the file, the line and
 * column and what is wrong: malformed or truncated XML, a root element other than the format's,
 * a refused declaration, or an error thrown by the visitor.
 */
export async function streamXml(
  filePath: string,
  format: XmlFormat,
  visitor: XmlVisitor,
): Promise<void> {
  const parser = new SaxesParser<{ xmlns: false; fileName: string }>({
    fileName: filePath,
    xmlns: false,
  });
  // An object, not a `let`: TypeScript does not see the handlers set it.
  const state = { sawRoot: false };
  let prologChars = 0;
  let collecting = false;
  let collected = '';
  const onText = (chunk: string): void => {
    if (collected.length < MAX_TEXT_CHARS) collected += chunk;
  };
  // Without a text handler saxes does not build text at all: it is asked for only when needed.
  const text: TextCapture = {
    start() {
      collected = '';
      if (!collecting) {
        collecting = true;
        parser.on('text', onText);
        parser.on('cdata', onText);
      }
    },
    get active() {
      return collecting;
    },
    take() {
      const result = collected;
      collected = '';
      if (collecting) {
        collecting = false;
        parser.off('text');
        parser.off('cdata');
      }
      return result;
    },
  };
  parser.on('doctype', (doctype) => {
    if (/[[<]|\b(SYSTEM|PUBLIC)\b/.test(doctype)) throw new Error(ENTITY_ERROR);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (!state.sawRoot) {
      state.sawRoot = true;
      if (!format.roots.includes(name)) {
        throw new Error(`root element <${tag.name}> is not ${rootList(format.roots)}`);
      }
    }
    visitor.open({ name, attributes: tag.attributes, selfClosing: tag.isSelfClosing }, text);
  });
  parser.on('closetag', (tag) => {
    visitor.close(localName(tag.name), text);
  });

  try {
    for await (const chunk of readTextChunks(filePath)) {
      if (!state.sawRoot) checkProlog(chunk, (prologChars += chunk.length), format.roots);
      parser.write(chunk);
    }
    parser.close();
    if (!state.sawRoot) throw new Error(`no ${rootList(format.roots)} root element`);
  } catch (error) {
    throw toReportError(filePath, format.label, error, parser.line);
  }
}
