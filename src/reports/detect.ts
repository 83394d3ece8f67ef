/** Report format detection from the start of a file's content. */
import type { ReportFormat } from '../model.js';
import { PARSERS } from './registry.js';

export { HEAD_BYTES, readHead } from './text.js';

/**
 * The format whose parser recognises `head` (the start of a file, decoded, BOM removed, as
 * {@link readHead} returns it), or undefined when none does.
 */
export function detectFormat(head: string): ReportFormat | undefined {
  for (const parser of PARSERS) {
    try {
      if (parser.detect(head)) return parser.format;
    } catch {
      // detect must not throw; a parser that does simply does not claim the file.
    }
  }
  return undefined;
}
