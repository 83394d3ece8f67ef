/** The Prometheus HTTP API as Grafana uses it: label values for variables, panel targets. */
import {
  customOptions,
  escapePromString,
  escapeRegex,
  interpolate,
  variableQuery,
  type Dashboard,
} from './dashboard-model.js';
/** A Prometheus instant or range answer. */
export interface QueryAnswer {
  readonly resultType: string;
  readonly series: { metric: Record<string, string>; values: number[] }[];
}

async function prometheusApi(
  prometheusUrl: string,
  path: string,
  params: Record<string, string>,
): Promise<unknown> {
  const response = await fetch(`${prometheusUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: unknown };
  if (body.status !== 'success') {
    throw new Error(`${path} ${JSON.stringify(params)}: ${body.error ?? String(response.status)}`);
  }
  return body.data;
}

/** The values of `label` among the series of `selector` over the last hour (what label_values asks). */
export async function labelValues(
  prometheusUrl: string,
  label: string,
  selector: string,
): Promise<string[]> {
  const params = new URLSearchParams({
    'match[]': selector,
    start: String(Date.now() / 1000 - 3600),
    end: String(Date.now() / 1000),
  });
  const response = await fetch(
    `${prometheusUrl}/api/v1/label/${label}/values?${params.toString()}`,
  );
  const body = (await response.json()) as { status: string; error?: string; data?: string[] };
  if (body.status !== 'success' || body.data === undefined) {
    throw new Error(
      `label_values(${selector}, ${label}): ${body.error ?? String(response.status)}`,
    );
  }
  return body.data;
}

/**
 * Runs a query as Grafana would: instant for `instant` targets, a range over the last minutes
 * otherwise; at `at` (Unix seconds, now by default), to see a dashboard opened later.
 */
export async function runTarget(
  prometheusUrl: string,
  expr: string,
  instant: boolean,
  at = Date.now() / 1000,
): Promise<QueryAnswer> {
  const now = at;
  if (instant) {
    const data = (await prometheusApi(prometheusUrl, '/api/v1/query', {
      query: expr,
      time: String(now),
    })) as { resultType: string; result: unknown };
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return { resultType: 'scalar', series: [{ metric: {}, values: [Number(value)] }] };
    }
    const result = data.result as { metric: Record<string, string>; value: [number, string] }[];
    return {
      resultType: data.resultType,
      series: result.map((s) => ({ metric: s.metric, values: [Number(s.value[1])] })),
    };
  }
  const data = (await prometheusApi(prometheusUrl, '/api/v1/query_range', {
    query: expr,
    start: String(now - 120),
    end: String(now),
    step: '5',
  })) as {
    resultType: string;
    result: { metric: Record<string, string>; values: [number, string][] }[];
  };
  return {
    resultType: data.resultType,
    series: data.result.map((s) => ({
      metric: s.metric,
      values: s.values.map((v) => Number(v[1])),
    })),
  };
}

/**
 * Resolves the template variables of a dashboard in order, as Grafana would with "All" values
 * selected one by one: a `label_values(selector, label)` variable asks Prometheus for the values
 * of `label` among the series of `selector` (earlier variables substituted) and becomes the
 * regex alternation `(a|b)` of the escaped values; a textbox or constant keeps its text.
 */
export async function resolveVariables(
  dashboard: Dashboard,
  prometheusUrl: string,
  overrides: Readonly<Record<string, string>> = {},
): Promise<{ values: Record<string, string>; options: Record<string, string[]> }> {
  const values: Record<string, string> = {};
  const options: Record<string, string[]> = {};
  for (const variable of dashboard.templating.list) {
    const text = variableQuery(variable);
    if (variable.type === 'custom') {
      // The value the dashboard opens with, unless the test picks another.
      const picked = overrides[variable.name] ?? variable.current?.value;
      const value = typeof picked === 'string' ? picked : (customOptions(variable)[0]?.value ?? '');
      values[variable.name] = value;
      options[variable.name] = customOptions(variable).map((o) => o.value);
      continue;
    }
    if (variable.type === 'textbox' || variable.type === 'constant') {
      values[variable.name] = text;
      options[variable.name] = [text];
      continue;
    }
    if (variable.type !== 'query')
      throw new Error(`variable ${variable.name}: type ${variable.type}`);
    const match = /^label_values\((.*),\s*(\w+)\s*\)$/s.exec(text.trim());
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new Error(
        `variable ${variable.name}: not a label_values(selector, label) query: ${text}`,
      );
    }
    const selector = interpolate(match[1], values);
    const found = await labelValues(prometheusUrl, match[2], selector);
    if (found.length === 0) {
      throw new Error(`variable ${variable.name}: ${text} (as ${selector}) found no value`);
    }
    options[variable.name] = found;
    const escaped = found.map((v) => escapePromString(escapeRegex(v)));
    values[variable.name] =
      variable.multi === true && escaped.length > 1 ? `(${escaped.join('|')})` : (escaped[0] ?? '');
  }
  return { values, options };
}
