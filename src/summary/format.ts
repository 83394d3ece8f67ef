/** Formatting helpers of the job summary: numbers people read, and Markdown that stays intact. */

/** Seconds as `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A latency in seconds with a unit that suits it (`4.3 µs`, `1.20 ms`, `2.5 s`). */
export function formatLatency(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const abs = Math.abs(seconds);
  if (abs === 0) return '0';
  if (abs < 1e-3) return `${(seconds * 1e6).toPrecision(3)} µs`;
  if (abs < 1) return `${(seconds * 1e3).toPrecision(3)} ms`;
  return `${seconds.toPrecision(3)} s`;
}

/** Bytes in binary units (`512 B`, `85.2 MiB`). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}

/** A rate such as throughput: `1.38M`, `8,000`, `12.5`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Makes text safe inside a Markdown table cell: one line, HTML and pipes escaped, so a test name
 * cannot break the table or inject markup.
 */
export function cell(text: string, max = 200): string {
  return truncate(text.replace(/[\r\n\t]+/g, ' ').trim(), max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/\\/g, '&#92;')
    .replace(/([*_[\]~])/g, '\\$1');
}

/** A Markdown table from a header row and body rows (cells already escaped). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
