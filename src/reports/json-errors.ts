/**
 * Errors of the streamed JSON reader, and where a value that `JSON.parse` refused goes wrong,
 * told in words that never quote the report (it may hold secrets).
 */
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** A syntax problem at character `offset` of the document; the message never quotes content. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** A selected value longer than a JavaScript string may be. */
export class JsonValueTooLargeError extends Error {
  constructor(
    readonly offset: number,
    readonly chars: number,
  ) {
    super(`one value of ${chars} characters is larger than a JavaScript string can hold`);
    this.name = 'JsonValueTooLargeError';
  }
}

const PROBLEMS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'invalid token',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after a property name",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected content after the value',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'invalid number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'control character in a string',
};

/**
 * Where and what (in words, never quoting the text) the first syntax error of `text` is, for a
 * value that `JSON.parse` refused. V8's own message quotes the input and gives no position for
 * some errors; jsonc-parser's scanner gives the offset of every one. Error path only.
 */
export function locateSyntaxError(text: string): { offset: number; problem: string } {
  const errors: ParseError[] = [];
  try {
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch {
    // jsonc-parser recurses: a value nested 100k deep overflows the stack. Say what we know.
    return { offset: 0, problem: 'invalid JSON value (nested too deep to locate the error)' };
  }
  const first = errors[0];
  // Left: what jsonc-parser accepts and JSON.parse does not (a leading zero, say).
  if (first === undefined) return { offset: 0, problem: 'invalid JSON value' };
  return {
    offset: first.offset,
    problem: PROBLEMS[printParseErrorCode(first.error)] ?? 'invalid JSON',
  };
}

/** V8's longest string on 64-bit platforms (2^29 - 24 characters). */
export const MAX_STRING_CHARS = 2 ** 29 - 24;
