/** Mermaid `xychart-beta` charts of the resource samples, downsampled to a readable size. */
import type { ResourceSample } from '../model.js';

/** Points per chart at most. */
export const MAX_CHART_POINTS = 60;

/**
 * Buckets the samples into at most `points` groups and keeps each group's maximum of `value`
 * (peaks are what a person looks for).
 */
export function downsample(
  samples: readonly ResourceSample[],
  value: (sample: ResourceSample) => number,
  points = MAX_CHART_POINTS,
): { t: number; v: number }[] {
  if (samples.length <= points) return samples.map((s) => ({ t: s.t, v: value(s) }));
  const size = samples.length / points;
  const result: { t: number; v: number }[] = [];
  for (let i = 0; i < points; i++) {
    const group = samples.slice(Math.floor(i * size), Math.floor((i + 1) * size));
    const first = group[0];
    if (first === undefined) continue;
    result.push({ t: first.t, v: Math.max(...group.map(value)) });
  }
  return result;
}

const round = (value: number): string => Number(value.toFixed(value < 10 ? 2 : 1)).toString();

/** One line chart; empty when there are fewer than two samples. */
export function lineChart(
  title: string,
  unit: string,
  samples: readonly ResourceSample[],
  value: (sample: ResourceSample) => number,
): string {
  const points = downsample(samples, value);
  if (points.length < 2) return '';
  const max = Math.max(...points.map((p) => p.v));
  const top = max <= 0 ? 1 : Number((max * 1.1).toPrecision(2));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "seconds" [${points.map((p) => round(p.t)).join(', ')}]`,
    `  y-axis "${unit}" 0 --> ${top}`,
    `  line [${points.map((p) => round(p.v)).join(', ')}]`,
    '```',
  ].join('\n');
}
