/**
 * Reads the baseline from history through the query API, on both shapes of history: a run's
 * values repeated at every scrape of the Pushgateway until the next run replaces them, and one
 * point per run (remote write). Runs are told apart by their distinct `*_run_timestamp_seconds`
 * values, turned into a label by `count_values`; each run's values are then read once, at the
 * first moment that run was visible, joined to that label so that no value is taken from a
 * neighbouring run.
 */
import type { GroupingKey } from '../metrics/grouping.js';
import { identifyingLabels, NOT_COMPARED } from './policy.js';
import { queryVector, type PrometheusTarget, type VectorSample } from './prometheus-api.js';
import type { BaselineHistory, BaselineRun, SeriesSample } from './types.js';

/** Label the queries put each run's end time in. */
const RUN_LABEL = 'rma_run_end';
/** Label the queries copy the metric name to, since a join drops `__name__`. */
const NAME_LABEL = 'rma_metric';

/** What to read. */
export interface HistoryQuery {
  readonly prefix: string;
  /** The baseline's group: the run's grouping key with the baseline branch. */
  readonly key: GroupingKey;
  readonly baselineRuns: number;
  /** Runs that ended at or after this Unix time are left out (this run, when pushed already). */
  readonly before: number;
  /** Unix seconds the queries are evaluated at. */
  readonly now: number;
  /** Bound on all requests together. */
  readonly timeoutMs: number;
  /** Searches for runs, widest last; defaults to {@link RUN_SEARCHES}. */
  readonly searches?: readonly RunSearch[];
}

/**
 * One search for runs: how far back, at which resolution. A run visible for less than the step
 * (replaced by the next run sooner) may be missed.
 */
export interface RunSearch {
  readonly lookbackSeconds: number;
  readonly stepSeconds: number;
}

/**
 * The searches, in order, until enough runs are found: the last hour to the second, the last day
 * every 10 s, the last week every 30 s, the last 90 days every 5 minutes. Each evaluates one series
 * at under 30,000 steps (VictoriaMetrics' default -search.maxPointsPerTimeseries), cheap for any
 * of the query engines; 5 minutes is Prometheus' lookback, so a single point per run is never
 * stepped over.
 */
export const RUN_SEARCHES: readonly RunSearch[] = [
  { lookbackSeconds: 3_600, stepSeconds: 1 },
  { lookbackSeconds: 86_400, stepSeconds: 10 },
  { lookbackSeconds: 7 * 86_400, stepSeconds: 30 },
  { lookbackSeconds: 90 * 86_400, stepSeconds: 300 },
];

/** Default bound on all requests of one comparison. */
export const HISTORY_TIMEOUT_MS = 30_000;

const quote = (value: string): string => JSON.stringify(value);

/** Every grouping label name of the key, `job` first. */
function groupLabels(key: GroupingKey): string[] {
  return ['job', ...Object.keys(key.labels)];
}

/** The matchers that pin the baseline's group, without braces. */
export function groupMatchers(key: GroupingKey): string {
  return [['job', key.job], ...Object.entries(key.labels)]
    .map(([name, value]) => `${name}=${quote(value ?? '')}`)
    .join(',');
}

/** One series per run end, labelled with it: a run's identity at each instant. */
function runMarker(query: HistoryQuery): string {
  return `count_values by (${groupLabels(query.key).join(',')}) (${quote(RUN_LABEL)}, ${query.prefix}run_timestamp_seconds{${groupMatchers(query.key)}})`;
}

/** PromQL: per run end, the first instant (a step time) at which that run was visible: right after its point or its first scrape, where every engine sees it (VictoriaMetrics stretches a sparse series to its next point in subqueries, not in instant queries). */
export function runsQuery(query: HistoryQuery, search: RunSearch): string {
  return `min_over_time((${runMarker(query)} * 0 + time())[${search.lookbackSeconds}s:${search.stepSeconds}s])`;
}

/** PromQL: every series of the group at one instant, each labelled with its run's end. */
export function valuesQuery(query: HistoryQuery): string {
  const notCompared = NOT_COMPARED.filter((name) => name !== 'run_timestamp_seconds');
  const names = [
    `__name__=~${quote(`${query.prefix}.+`)}`,
    `__name__!~${quote(`${query.prefix}(${['run_timestamp_seconds', ...notCompared].join('|')})`)}`,
  ];
  const series = `{${[...names, groupMatchers(query.key)].join(',')}}`;
  const named = `label_replace(${series}, ${quote(NAME_LABEL)}, "$1", "__name__", "(.+)")`;
  const labels = groupLabels(query.key).join(',');
  return `${named} * on(${labels}) group_left(${RUN_LABEL}) clamp_max(${runMarker(query)}, 1)`;
}

/** Runs found by {@link runsQuery}: end time, its label text, and when it was first visible. */
export interface FoundRun {
  readonly endedAt: number;
  readonly label: string;
  readonly visibleAt: number;
}

/** The newest runs before `before`, newest first, at most `limit`. */
export function pickRuns(
  answer: readonly VectorSample[],
  before: number,
  limit: number,
): FoundRun[] {
  const runs = new Map<string, FoundRun>();
  for (const series of answer) {
    const label = series.metric[RUN_LABEL];
    const endedAt = Number(label);
    const visibleAt = Number(series.value[1]);
    if (label === undefined || !Number.isFinite(endedAt) || !Number.isFinite(visibleAt)) continue;
    if (endedAt >= before) continue;
    // The finest search that saw a run comes first: its instant is the closest to the run's own
    // point, which engines with a step-sized lookback (VictoriaMetrics) still see there.
    if (!runs.has(label)) runs.set(label, { endedAt, label, visibleAt });
  }
  return [...runs.values()].sort((a, b) => b.endedAt - a.endedAt).slice(0, limit);
}

/** The samples of one run from a {@link valuesQuery} answer, each series once. */
export function runSamplesFromAnswer(
  answer: readonly VectorSample[],
  run: FoundRun,
  prefix: string,
): BaselineRun {
  const samples = new Map<string, SeriesSample>();
  for (const series of answer) {
    const name = series.metric[NAME_LABEL];
    const value = Number(series.value[1]);
    if (series.metric[RUN_LABEL] !== run.label || name === undefined) continue;
    if (!name.startsWith(prefix) || !Number.isFinite(value)) continue;
    const metric = name.slice(prefix.length);
    const labels: Record<string, string> = {};
    for (const label of identifyingLabels(metric)) {
      const text = series.metric[label];
      if (text !== undefined && text !== '') labels[label] = text;
    }
    // Duplicates (the same group scraped by two jobs) carry the same value: keep the first.
    const id = JSON.stringify([metric, labels]);
    if (!samples.has(id)) samples.set(id, { metric, labels, value });
  }
  return { endedAt: run.endedAt, samples: [...samples.values()] };
}

/** Runs `tasks` with at most `limit` at a time, in order. */
async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += limit) {
    results.push(...(await Promise.all(tasks.slice(i, i + limit).map((task) => task()))));
  }
  return results;
}

/**
 * Reads the baseline: the last `baselineRuns` runs of the group and their values. Rejects with an
 * error a user can act on when the query API cannot be used.
 */
export async function fetchBaselineHistory(
  target: PrometheusTarget,
  query: HistoryQuery,
): Promise<BaselineHistory> {
  const deadline = Date.now() + query.timeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  let answers: VectorSample[] = [];
  let found: FoundRun[] = [];
  for (const search of query.searches ?? RUN_SEARCHES) {
    answers = [
      ...answers,
      ...(await queryVector(target, runsQuery(query, search), query.now, left())),
    ];
    found = pickRuns(answers, query.before, query.baselineRuns);
    if (found.length >= query.baselineRuns) break;
  }
  const values = valuesQuery(query);
  const runs = await inBatches(
    found.map(
      (run) => async () =>
        runSamplesFromAnswer(
          await queryVector(target, values, run.visibleAt, left()),
          run,
          query.prefix,
        ),
    ),
    4,
  );
  return { branch: query.key.labels.branch ?? '', runs };
}
