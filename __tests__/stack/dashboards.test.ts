/**
 * grafana/: the provisioning files, and every dashboard as a raw model the file provider loads:
 * fixed unique uid, no `{"dashboard": …}` wrapper, current schema, known panel types, the
 * provisioned datasource by uid on every panel and target, defined variables only, a unit and
 * thresholds on every panel, a valid non-overlapping grid. docs/dashboards.md lists each query.
 */
import { describe, expect, it } from 'vitest';
import {
  DATASOURCE_UID,
  PANEL_TYPES,
  allPanels,
  loadDashboards,
  readRepoFile,
  readYaml,
  usedVariables,
  variableQuery,
  type Panel,
} from './stack.js';

const UNITS = new Set([
  's',
  'ms',
  'bytes',
  'percent',
  'percentunit',
  'ops',
  'dateTimeFromNow',
  'short',
  'none',
]);
const dashboards = loadDashboards();
const dataPanels = (panels: Panel[]): Panel[] =>
  panels.filter((p) => p.type !== 'row' && p.type !== 'text');

describe('grafana/provisioning', () => {
  it('provisions the Prometheus datasource with the fixed uid the dashboards use', () => {
    const file = readYaml<{
      apiVersion: number;
      datasources: { uid: string; type: string; url: string; access: string }[];
    }>('grafana', 'provisioning', 'datasources', 'prometheus.yml');
    expect(file.apiVersion).toBe(1);
    expect(file.datasources).toHaveLength(1);
    expect(file.datasources[0]).toMatchObject({
      uid: DATASOURCE_UID,
      type: 'prometheus',
      url: 'http://prometheus:9090',
      access: 'proxy',
    });
  });

  it('loads the dashboards with a file provider', () => {
    const file = readYaml<{
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    }>('grafana', 'provisioning', 'dashboards', 'dashboards.yml');
    expect(file.apiVersion).toBe(1);
    expect(file.providers[0]).toMatchObject({
      type: 'file',
      options: { path: '/etc/grafana/dashboards' },
    });
  });
});

describe('grafana/dashboards', () => {
  it('holds the overview, performance and E2E dashboards with fixed, unique uids', () => {
    expect(dashboards.map((d) => d.dashboard.uid).sort()).toEqual([
      'reliability-e2e',
      'reliability-overview',
      'reliability-performance',
    ]);
    for (const { file, dashboard } of dashboards) {
      expect(file).toBe(`${dashboard.uid}.json`);
      expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    }
    expect(new Set(dashboards.map((d) => d.dashboard.title)).size).toBe(dashboards.length);
  });

  describe.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s', (_file, dashboard) => {
    const panels = allPanels(dashboard);
    const variables = dashboard.templating.list;

    it('is a raw dashboard model of a current schema', () => {
      expect(dashboard).not.toHaveProperty('dashboard');
      expect(dashboard.id ?? null).toBeNull();
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
      expect(dashboard.title).toBeTruthy();
      expect(panels.length).toBeGreaterThan(5);
    });

    it('uses known panel types with unique ids', () => {
      for (const panel of panels) expect(PANEL_TYPES, panel.title).toContain(panel.type);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    });

    it('references the provisioned datasource by uid on every panel and target', () => {
      for (const panel of dataPanels(panels)) {
        expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        const refIds = new Set<string>();
        for (const target of panel.targets ?? []) {
          expect(target.datasource, `${panel.title} ${target.refId}`).toEqual({
            type: 'prometheus',
            uid: DATASOURCE_UID,
          });
          expect(target.expr.trim(), `${panel.title} ${target.refId}`).not.toBe('');
          expect(refIds.has(target.refId)).toBe(false);
          refIds.add(target.refId);
        }
      }
      for (const variable of variables.filter((v) => v.type === 'query')) {
        expect(variable.datasource, variable.name).toEqual({
          type: 'prometheus',
          uid: DATASOURCE_UID,
        });
      }
    });

    it('defines repository, branch, workflow and suite from reliability_run_info', () => {
      const byName = new Map(variables.map((v) => [v.name, v]));
      for (const name of ['repository', 'branch', 'workflow', 'suite']) {
        const variable = byName.get(name);
        expect(variable?.type, name).toBe('query');
        expect(variableQuery(variable ?? { name, type: '' })).toMatch(
          new RegExp(`^label_values\\(reliability_run_info(\\{[^}]*\\})?, ${name}\\)$`),
        );
        expect(variable?.multi, name).toBe(true);
        expect(variable?.includeAll, name).toBe(true);
        expect(variable?.allValue, name).toBe('.*');
      }
    });

    it('uses only variables defined before (in queries and in chained variables)', () => {
      const defined = new Set<string>();
      for (const variable of variables) {
        for (const used of usedVariables(variableQuery(variable))) {
          expect(defined, `variable ${variable.name} uses $${used}`).toContain(used);
        }
        defined.add(variable.name);
      }
      for (const panel of panels) {
        for (const target of panel.targets ?? []) {
          for (const used of usedVariables(target.expr)) {
            expect(defined, `${panel.title}: $${used}`).toContain(used);
          }
        }
      }
    });

    it('gives every panel a unit and thresholds', () => {
      for (const panel of dataPanels(panels)) {
        const unit =
          panel.type === 'heatmap' ? panel.options?.yAxis?.unit : panel.fieldConfig?.defaults?.unit;
        expect(UNITS, `${panel.title}: unit ${String(unit)}`).toContain(unit);
        if (panel.type !== 'heatmap') {
          const steps = panel.fieldConfig?.defaults?.thresholds?.steps ?? [];
          expect(steps.length, panel.title).toBeGreaterThan(0);
          expect(steps[0]?.value ?? null, panel.title).toBeNull();
        }
      }
    });

    it('lays panels out on a valid grid without overlaps', () => {
      const placed: { x: number; y: number; w: number; h: number; title: string }[] = [];
      for (const panel of dashboard.panels) {
        const g = panel.gridPos;
        expect(g, panel.title).toBeDefined();
        if (!g) continue;
        for (const n of [g.x, g.y, g.w, g.h]) expect(Number.isInteger(n), panel.title).toBe(true);
        expect(g.w).toBeGreaterThanOrEqual(1);
        expect(g.h).toBeGreaterThanOrEqual(1);
        expect(g.x).toBeGreaterThanOrEqual(0);
        expect(g.y).toBeGreaterThanOrEqual(0);
        expect(g.x + g.w, panel.title).toBeLessThanOrEqual(24);
        for (const other of placed) {
          const overlap =
            g.x < other.x + other.w &&
            other.x < g.x + g.w &&
            g.y < other.y + other.h &&
            other.y < g.y + g.h;
          expect(overlap, `${panel.title} overlaps ${other.title}`).toBe(false);
        }
        placed.push({ ...g, title: panel.title });
      }
    });

    it('is documented panel by panel, with each query, in docs/dashboards.md', () => {
      const docs = readRepoFile('docs', 'dashboards.md').replace(/\s+/g, ' ');
      expect(docs).toContain(dashboard.uid);
      for (const panel of dataPanels(panels)) {
        expect(docs, panel.title).toContain(panel.title);
        for (const target of panel.targets ?? []) {
          expect(docs, `${panel.title} ${target.refId}`).toContain(
            target.expr.replace(/\s+/g, ' '),
          );
        }
      }
    });
  });
});
