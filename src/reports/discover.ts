/**
 * Finds report files for a list of globs. The walk never enters a symlinked directory (a link
 * back up the tree would make it grow without end, a link out of it would read another tree),
 * counts each file once by its real path, and is bounded in depth and in time and cancellable:
 * whatever it found by then is returned with a warning that names the bound.
 */
import * as fs from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

import fg from 'fast-glob';

/** Bounds of one discovery. */
export const DISCOVERY_LIMITS = {
  /** Directory levels searched below the fixed part of a pattern (`reports/` in `reports/**`). */
  maxDepth: 32,
  /** Wall time of the whole search. */
  timeoutMs: 60_000,
  /**
   * Wall time of the search when the run was already cancelled before it began (the command was
   * ended): the reports it wrote are still worth reading, within the runner's grace period.
   */
  cancelledTimeoutMs: 2_000,
} as const;

/** Files stat-ed at once. */
const STAT_BATCH = 64;

/** Directories never searched. */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** Options of {@link discoverFiles}. */
export interface DiscoverOptions {
  /** Globs relative to `cwd` or absolute; `!pattern` excludes. */
  readonly patterns: readonly string[];
  readonly cwd: string;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
  /**
   * Stops the search; what was found so far is returned. Already aborted when the search begins,
   * it shortens the time bound to {@link DISCOVERY_LIMITS.cancelledTimeoutMs} instead.
   */
  readonly signal?: AbortSignal;
}

/** One file found, by the first path it was found under (two paths to one file are one file). */
export interface FoundFile {
  /** Absolute path as found (may go through a symlinked file). */
  readonly absolute: string;
  /** Path relative to `cwd` with `/` separators, or absolute when outside it. */
  readonly display: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** What {@link discoverFiles} found. */
export interface Discovery {
  /** Oldest first, then by path: "later" in a merge means a later run. */
  readonly files: FoundFile[];
  /** Positive patterns that matched no file. */
  readonly unmatched: string[];
  /** Why the search is incomplete, naming the bound; empty when it searched everything. */
  readonly warnings: string[];
}

/** Path relative to `cwd` with `/` separators, or the absolute path when it lies outside. */
export function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
}

/** Why a search stopped early, and where the depth bound cut it. */
class Budget {
  private reason: 'time' | 'cancelled' | undefined;
  readonly tooDeep: string[] = [];
  private readonly listeners = new Set<() => void>();

  /** Why the search stopped early, if it did. */
  get stopped(): 'time' | 'cancelled' | undefined {
    return this.reason;
  }

  /** A method, not the getter, where the compiler would narrow across an await. */
  isStopped(): boolean {
    return this.reason !== undefined;
  }

  stop(reason: 'time' | 'cancelled'): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    for (const listener of this.listeners) listener();
  }

  onStop(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/**
 * The file system as fast-glob sees it: a symlink to a directory stats as the link itself (so it
 * is neither descended nor matched), a symlink to a file as the file; a directory deeper than the
 * bound, or any directory once the search is stopped, reads as empty.
 */
function boundedFs(
  budget: Budget,
  bases: readonly string[],
  maxDepth: number,
): Partial<fg.FileSystemAdapter> {
  const depthOf = (dir: string): number => {
    let depth = Number.POSITIVE_INFINITY;
    for (const base of bases) {
      const rel = relative(base, dir);
      if (rel === '') return 0;
      if (!rel.startsWith('..') && !isAbsolute(rel)) depth = Math.min(depth, rel.split(sep).length);
    }
    return Number.isFinite(depth) ? depth : 0;
  };
  return {
    stat: (path: string, callback: Callback<fs.Stats>) => {
      fs.stat(path, (error, stats) => {
        if (error !== null || !stats.isDirectory()) callback(error, stats);
        else fs.lstat(path, callback);
      });
    },
    readdir: ((path: string, options: unknown, callback: Callback<fs.Dirent[]>) => {
      if (budget.isStopped()) {
        callback(null, []);
      } else if (depthOf(path) > maxDepth) {
        budget.tooDeep.push(path);
        callback(null, []);
      } else {
        fs.readdir(path, options as { withFileTypes: true }, callback);
      }
    }) as fg.FileSystemAdapter['readdir'],
  };
}

/** Every path matching one pattern, or those found before the budget stopped the walk. */
function globOne(pattern: string, options: fg.Options, budget: Budget): Promise<string[]> {
  return new Promise((done) => {
    const found: string[] = [];
    // fast-glob's stream is a Readable; destroying it stops the walk under it.
    const stream = fg.stream(pattern, options) as NodeJS.ReadableStream & { destroy(): void };
    const finish = (): void => {
      unsubscribe();
      done(found);
    };
    const unsubscribe = budget.onStop(() => {
      stream.destroy();
    });
    stream.on('data', (entry: string) => found.push(entry));
    // suppressErrors keeps unreadable directories out; anything else ends this pattern only.
    stream.once('error', finish);
    stream.once('end', finish);
    stream.once('close', finish);
  });
}

function boundWarnings(
  budget: Budget,
  cwd: string,
  maxDepth: number,
  timeoutMs: number,
  cancelledBefore: boolean,
): string[] {
  const warnings: string[] = [];
  if (budget.stopped === 'time') {
    const why = cancelledBefore ? ', shortened because the run was cancelled' : '';
    warnings.push(
      `Report discovery stopped at its time limit (${timeoutMs / 1000} s${why}) before it had searched everything: reports it had not reached were not read. Name them in report-paths with patterns that start nearer to them.`,
    );
  } else if (budget.stopped === 'cancelled') {
    warnings.push(
      'Report discovery was cancelled before it had searched everything: reports it had not reached were not read.',
    );
  }
  if (budget.tooDeep.length > 0) {
    const first = displayPath(cwd, budget.tooDeep[0] as string);
    const more = budget.tooDeep.length > 1 ? ` and ${budget.tooDeep.length - 1} more` : '';
    warnings.push(
      `Report discovery did not search below its depth limit (${maxDepth} directory levels), in ${first}${more}: reports deeper than that were not read. Give report-paths a pattern whose fixed part starts nearer to them.`,
    );
  }
  return warnings;
}

/**
 * Expands `options.patterns` under `options.cwd`. Unreadable directories are skipped; a file that
 * vanishes before it is looked at is left out.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<Discovery> {
  const cwd = resolve(options.cwd);
  const maxDepth = options.maxDepth ?? DISCOVERY_LIMITS.maxDepth;
  const cancelledBefore = options.signal?.aborted === true;
  const timeoutMs = Math.min(
    options.timeoutMs ?? DISCOVERY_LIMITS.timeoutMs,
    cancelledBefore ? DISCOVERY_LIMITS.cancelledTimeoutMs : Number.POSITIVE_INFINITY,
  );
  const patterns = options.patterns.map((p) => p.trim()).filter((p) => p !== '');
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const ignore = [
    ...ALWAYS_IGNORED,
    ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
  ];

  const budget = new Budget();
  const timer = setTimeout(() => {
    budget.stop('time');
  }, timeoutMs);
  const onAbort = (): void => {
    budget.stop('cancelled');
  };
  if (!cancelledBefore) options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const paths = new Set<string>();
    const unmatched: string[] = [];
    for (const pattern of positive) {
      if (budget.isStopped()) break;
      const base = { cwd, absolute: true, dot: true, ignore, suppressErrors: true };
      let matches: string[] = [];
      // A literal file name with glob characters in it, such as report[1].xml, is tried as such.
      for (const candidate of fg.isDynamicPattern(pattern)
        ? [pattern, fg.escapePath(pattern)]
        : [pattern]) {
        const bases = fg.generateTasks(candidate, base).map((task) => resolve(cwd, task.base));
        const fsAdapter = boundedFs(budget, bases, maxDepth);
        matches = await globOne(candidate, { ...base, onlyFiles: true, fs: fsAdapter }, budget);
        if (matches.length > 0 || budget.isStopped()) break;
      }
      if (matches.length === 0 && !budget.isStopped()) unmatched.push(pattern);
      for (const match of matches) paths.add(resolve(match));
    }

    // One file reached by two paths (a symlinked file, two patterns) is one file: same device
    // and inode. Stats run a few at a time: one by one, 50k files take seconds.
    const byInode = new Map<string, FoundFile>();
    const sorted = [...paths].sort();
    // Files already found are kept when the search was stopped: only the walk is cut short.
    for (let start = 0; start < sorted.length; start += STAT_BATCH) {
      const batch = sorted.slice(start, start + STAT_BATCH);
      const infos = await Promise.all(batch.map((file) => stat(file).catch(() => undefined)));
      batch.forEach((file, index) => {
        const info = infos[index];
        // Undefined: vanished between the glob and the stat, nothing to read.
        if (info === undefined || !info.isFile()) return;
        const inode = `${info.dev}:${info.ino}`;
        if (byInode.has(inode)) return;
        byInode.set(inode, {
          absolute: file,
          display: displayPath(cwd, file),
          bytes: info.size,
          mtimeMs: info.mtimeMs,
        });
      });
    }
    const files = [...byInode.values()].sort(
      (a, b) => a.mtimeMs - b.mtimeMs || a.display.localeCompare(b.display),
    );
    const warnings = boundWarnings(budget, cwd, maxDepth, timeoutMs, cancelledBefore);
    return { files, unmatched, warnings };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
