/** The job summary's table of figures tests recorded: latency and throughput by operation. */
import type { Figure, FigureList } from '../model.js';
import { countDistinctKeys } from '../tables/distinct-keys.js';
import { cell, formatBytes, formatLatency, formatNumber, table } from './format.js';

/** A row of the latency table: one test and operation. */
interface Row {
  readonly test: string;
  readonly operation: string;
  readonly stats: Map<string, number>;
  ops?: number;
}

/**
 * One row per test and operation: latency percentiles and throughput side by side. Only the
 * rows shown are built (a report may bring 100k figures); the others are only counted.
 */
export function figuresSection(figures: FigureList, limit: number): string {
  const shown = new Map<string, Map<string, Row>>();
  const rowsShown: Row[] = [];
  const other: Figure[] = [];
  let otherCount = 0;
  for (let index = 0; index < figures.length; index++) {
    const f = figures.at(index) as Figure;
    if (f.kind !== 'latency' && f.kind !== 'throughput') {
      otherCount += 1;
      if (other.length < limit) other.push(f);
      continue;
    }
    const operation = f.operation ?? '';
    let row = shown.get(f.test)?.get(operation);
    // Every row met while fewer than `limit` were shown is shown: a row not among them is new.
    if (row === undefined && rowsShown.length < limit) {
      row = { test: f.test, operation, stats: new Map() };
      rowsShown.push(row);
      let byOperation = shown.get(f.test);
      if (byOperation === undefined) shown.set(f.test, (byOperation = new Map<string, Row>()));
      byOperation.set(operation, row);
    }
    if (row === undefined) continue;
    if (f.kind === 'throughput') row.ops = f.value;
    else row.stats.set(f.stat ?? '', f.value);
  }
  const parts: string[] = [];
  if (rowsShown.length > 0) {
    const lat = (row: Row, stat: string): string => {
      const value = row.stats.get(stat);
      return value === undefined ? '' : formatLatency(value);
    };
    const body = rowsShown.map((r) => [
      cell(r.operation, 80),
      lat(r, 'p50') || lat(r, 'median'),
      lat(r, 'p95'),
      lat(r, 'p99'),
      lat(r, 'mean'),
      r.ops === undefined ? '' : `${formatNumber(r.ops)} ops/s`,
      cell(r.test, 120),
    ]);
    parts.push(table(['Operation', 'p50', 'p95', 'p99', 'mean', 'Throughput', 'Test'], body));
  }
  if (other.length > 0) {
    const body = other.map((f) => {
      const bytes = f.kind === 'memory' || f.kind === 'memory_growth';
      // The test's own figure, told apart from the tree's RSS growth in the Resources table.
      const what =
        f.kind === 'metric'
          ? (f.name ?? '')
          : f.kind === 'memory_growth'
            ? 'memory growth (recorded by the test)'
            : f.operation !== undefined
              ? `${f.kind} ${f.operation}`
              : f.kind;
      return [
        cell(what, 80),
        bytes ? formatBytes(f.value) : formatNumber(f.value),
        cell(f.test, 120),
      ];
    });
    parts.push(table(['Figure', 'Value', 'Test'], body));
  }
  if (parts.length === 0) return '';
  const listed = rowsShown.length + other.length;
  // The rows not shown are only counted, off the heap (a report may bring 100k of them).
  const rowCount =
    rowsShown.length < limit
      ? rowsShown.length
      : countDistinctKeys(figures.length, (index) => {
          const figure = figures.at(index) as Figure;
          return figure.kind === 'latency' || figure.kind === 'throughput'
            ? `${figure.test}\u0000${figure.operation ?? ''}`
            : undefined;
        });
  const total = rowCount + otherCount;
  const more = total > listed ? `\n\n…and ${total - listed} more rows in the metrics file.` : '';
  return `### Recorded figures\n\n${parts.join('\n\n')}${more}`;
}
