/** The repository's stack files and Grafana dashboard models, read as the file provider would. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-action.js';

/** The uid of the provisioned datasource every panel and target must use. */
export const DATASOURCE_UID = 'reliability-prometheus';

/** Panel types the dashboards may use (the Angular `graph`/`singlestat` are gone in Grafana 11). */
export const PANEL_TYPES: ReadonlySet<string> = new Set([
  'timeseries',
  'stat',
  'heatmap',
  'table',
  'bargauge',
  'text',
  'row',
]);

/** A datasource reference. */
export interface DataSourceRef {
  readonly type?: string;
  readonly uid?: string;
}

/** A Prometheus query of a panel. */
export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: DataSourceRef;
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly format?: string;
  readonly legendFormat?: string;
  readonly hide?: boolean;
}

/** A dashboard panel (rows carry their panels only when collapsed). */
export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: DataSourceRef;
  readonly gridPos?: { h: number; w: number; x: number; y: number };
  readonly targets?: readonly Target[];
  readonly fieldConfig?: {
    defaults?: {
      unit?: string;
      thresholds?: { mode: string; steps: { color: string; value: number | null }[] };
    };
  };
  readonly options?: { yAxis?: { unit?: string } };
  readonly panels?: readonly Panel[];
}

/** A template variable. */
export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { query: string; qryType?: number };
  readonly definition?: string;
  readonly datasource?: DataSourceRef;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
  readonly current?: { readonly text?: string | string[]; readonly value?: string | string[] };
}

/** The `text : value` options of a custom variable, as Grafana splits its query. */
export function customOptions(variable: Variable): { text: string; value: string }[] {
  return variableQuery(variable)
    .split(/(?<!\\),/)
    .map((option) => {
      const [text = '', value] = option.split(' : ');
      return { text: text.trim(), value: (value ?? text).trim() };
    });
}

/** A raw dashboard model, as the file provider loads it. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: { list: readonly Variable[] };
  readonly [key: string]: unknown;
}

/** A dashboard file of grafana/dashboards. */
export interface DashboardFile {
  readonly file: string;
  readonly dashboard: Dashboard;
}

export const DASHBOARD_DIR = join(ROOT, 'grafana', 'dashboards');

/** Reads a repository file. */
export function readRepoFile(...path: string[]): string {
  return readFileSync(join(ROOT, ...path), 'utf8');
}

/** Parses a YAML file of the repository into the shape the caller names (unchecked). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed cast of parsed YAML
export function readYaml<T>(...path: string[]): T {
  return parse(readRepoFile(...path)) as T;
}

/** Every dashboard JSON of grafana/dashboards, parsed. */
export function loadDashboards(): DashboardFile[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard,
    }));
}

/** Every panel of a dashboard, the panels of collapsed rows included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Variable names a query uses: `$name`, `${name}` and `${name:format}`, Grafana's `$__` aside. */
export function usedVariables(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/\$(?:\{(\w+)(?::[^}]*)?\}|(\w+))/g)) {
    const name = match[1] ?? match[2];
    if (name !== undefined && !name.startsWith('__')) names.add(name);
  }
  return [...names];
}

/** The text of a variable's query (Grafana stores it as a string or as an object). */
export function variableQuery(variable: Variable): string {
  const { query } = variable;
  if (typeof query === 'string') return query;
  return query?.query ?? variable.definition ?? '';
}

/** Escapes a value for a regex matcher, as Grafana does for multi-value variables. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

/** Escapes a string for a double-quoted PromQL string literal. */
export function escapePromString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * What Grafana's built-in variables become in the live test: sensible values for a dashboard
 * opened over the last hour with a 15 s scrape interval.
 */
export const BUILTINS: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __interval_ms: '15000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/** Replaces the variables of a query with their interpolated values (already escaped). */
export function interpolate(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(
    /\$(?:\{(\w+)(?::[^}]*)?\}|(\w+))/g,
    (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      // A test may set a built-in itself (`__range` of a dashboard opened over 7 days).
      const value = values[name] ?? BUILTINS[name];
      return value ?? whole;
    },
  );
}
