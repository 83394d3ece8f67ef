/**
 * Reading report files as text: encoding from the byte order mark (UTF-8, UTF-16 LE/BE, or
 * UTF-16 without a BOM recognised from its zero bytes), the BOM removed, streamed in chunks.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';

import { ReportError } from './types.js';

/** Encodings a report file may use. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes {@link readHead} reads. */
export const HEAD_BYTES = 64 * 1024;

/**
 * Chunk size of streamed reads. The chunk being parsed is alive at every young-generation
 * collection, so each one copies it: with 64 KiB chunks that was ~10 MB of survivors over a
 * 100 MB report, enough to make V8 double its young generation once more (peak RSS 190–214 MiB
 * on node 24; 165 MiB with 16 KiB, for 0.05 to 0.1 CPU second more). 1 MiB chunks, in the large-object space,
 * cost ~100 MB more.
 */
const CHUNK_BYTES = 16 * 1024;

/** Guesses the encoding from the first bytes: a BOM, or the zero bytes of UTF-16 ASCII text. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  if (bytes.length >= 2 && a !== 0 && b === 0) return 'utf-16le';
  if (bytes.length >= 2 && a === 0 && b !== 0) return 'utf-16be';
  return 'utf-8';
}

function decoder(encoding: TextEncoding): TextDecoder {
  // Not fatal: a stray invalid byte in a test name becomes U+FFFD instead of failing the report.
  // The decoder removes a leading BOM itself (ignoreBOM is false).
  return new TextDecoder(encoding);
}

async function readStart(filePath: string, bytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(filePath, 'r');
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw new ReportError(filePath, `cannot read: ${(error as Error).message}`);
  } finally {
    await handle?.close();
  }
}

/**
 * The first {@link HEAD_BYTES} of a file as text, BOM removed, for format detection. A character
 * cut at the end is dropped. Throws {@link ReportError} when the file cannot be read.
 */
export async function readHead(filePath: string, bytes: number = HEAD_BYTES): Promise<string> {
  const start = await readStart(filePath, bytes);
  return decoder(detectEncoding(start)).decode(start, { stream: true });
}

/**
 * Streams a file as text chunks (about 64 KiB each), decoded by its BOM with the BOM removed.
 * Memory stays constant whatever the file size.
 */
export async function* readTextChunks(filePath: string): AsyncGenerator<string> {
  const start = await readStart(filePath, 4);
  const textDecoder = decoder(detectEncoding(start));
  const stream = createReadStream(filePath, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = textDecoder.decode(chunk, { stream: true });
      if (text !== '') yield text;
    }
    const rest = textDecoder.decode();
    if (rest !== '') yield rest;
  } catch (error) {
    throw error instanceof ReportError
      ? error
      : new ReportError(filePath, `cannot read: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
}

/** Reads a whole (JSON) file as text, decoded by its BOM with the BOM removed. */
export async function readText(filePath: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw new ReportError(filePath, `cannot read: ${(error as Error).message}`);
  }
  return decoder(detectEncoding(bytes)).decode(bytes);
}
