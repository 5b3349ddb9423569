/**
 * A small writer of Grafana dashboard JSON (schema 39, read by Grafana 10 to 12): timeseries and stat panels
 * over the global Prometheus, laid out two to a row, with an optional `region` variable.
 */

/** The uid of the global Prometheus datasource GlobalObservability provisions in Grafana. */
export const GLOBAL_DATASOURCE_UID = 'skyline-global-prometheus';

const DATASOURCE = { type: 'prometheus', uid: GLOBAL_DATASOURCE_UID } as const;

export interface Query {
  readonly expr: string;
  /** Grafana legend template, e.g. `{{region}}`. */
  readonly legend: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id: `reqps`, `percentunit`, `s`, `short`, `currencyUSD`... */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** @default 'timeseries' */
  readonly kind?: 'timeseries' | 'stat';
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly panels: readonly PanelSpec[];
  /** Adds a multi-value `region` variable from this series' `region` values; queries use `region=~"$region"`. */
  readonly regionVariableFrom?: string;
}

/** The dashboard as Grafana stores it; typed loosely on purpose: it is Grafana's format, not ours. */
export type GrafanaDashboard = Readonly<Record<string, unknown>> & { readonly uid: string; readonly title: string };

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

export function grafanaDashboard(spec: DashboardSpec): GrafanaDashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['skyline'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: false,
    graphTooltip: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: spec.regionVariableFrom
        ? [
            {
              name: 'region',
              label: 'Region',
              type: 'query',
              datasource: DATASOURCE,
              query: { query: `label_values(${spec.regionVariableFrom}, region)`, refId: 'region' },
              definition: `label_values(${spec.regionVariableFrom}, region)`,
              refresh: 2,
              multi: true,
              includeAll: true,
              allValue: '.+',
              current: { text: 'All', value: '$__all' },
            },
          ]
        : [],
    },
    annotations: { list: [] },
    panels: spec.panels.map((panel, index) => ({
      id: index + 1,
      type: panel.kind ?? 'timeseries',
      title: panel.title,
      description: panel.description,
      datasource: DATASOURCE,
      gridPos: { x: (index % 2) * PANEL_WIDTH, y: Math.floor(index / 2) * PANEL_HEIGHT, w: PANEL_WIDTH, h: PANEL_HEIGHT },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      options:
        (panel.kind ?? 'timeseries') === 'timeseries'
          ? { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } }
          : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, textMode: 'value_and_name', colorMode: 'value' },
      targets: panel.queries.map((query, queryIndex) => ({
        refId: String.fromCharCode(65 + queryIndex),
        datasource: DATASOURCE,
        expr: query.expr,
        legendFormat: query.legend,
        range: true,
      })),
    })),
  };
}
