/** Quantities with units as people write them in a budgets file: `2ms`, `512MiB`, `10%`, `8000`. */

/** What a unit measures. */
export type UnitKind = 'time' | 'size' | 'percent' | 'plain';

const FACTORS: Readonly<Record<string, readonly [number, UnitKind]>> = {
  ns: [1e-9, 'time'],
  us: [1e-6, 'time'],
  µs: [1e-6, 'time'],
  μs: [1e-6, 'time'],
  ms: [1e-3, 'time'],
  s: [1, 'time'],
  B: [1, 'size'],
  KiB: [1024, 'size'],
  MiB: [1024 ** 2, 'size'],
  GiB: [1024 ** 3, 'size'],
  TiB: [1024 ** 4, 'size'],
  '%': [1, 'percent'],
};

/** The units accepted, for error messages. */
export const UNIT_NAMES = 'ns, us (µs), ms, s, B, KiB, MiB, GiB, TiB, %';

/** A parsed quantity: value in base units (seconds, bytes; percent as written) and its kind. */
export interface Amount {
  readonly value: number;
  readonly kind: UnitKind;
  /** As written, for messages. */
  readonly text: string;
}

/** Parses `2ms`, `2 ms`, `512MiB`, `10%`, `8000`, `1e-3`; undefined when it is none of these. */
export function parseAmount(raw: unknown): Amount | undefined {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { value: raw, kind: 'plain', text: String(raw) } : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const match = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zA-Zµμ%]*)\s*$/.exec(
    raw,
  );
  if (match === null) return undefined;
  const number = Number(match[1]);
  const unit = match[2] ?? '';
  if (!Number.isFinite(number)) return undefined;
  if (unit === '') return { value: number, kind: 'plain', text: raw.trim() };
  const factor = FACTORS[unit];
  if (factor === undefined) return undefined;
  return { value: number * factor[0], kind: factor[1], text: raw.trim() };
}

/** The unit kind a metric's values are in, from its name's suffix. */
export function metricUnitKind(metric: string): UnitKind {
  if (metric.endsWith('_seconds')) return 'time';
  if (metric.endsWith('_bytes')) return 'size';
  if (metric.endsWith('_percent')) return 'percent';
  return 'plain';
}
