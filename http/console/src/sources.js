// The two query languages the console speaks, each turned into the same graphable series.

import { call } from './api.js';
import { autoStep } from './time.js';

/**
 * Runs a PromQL range query: `/prometheus/projects/<project>/api/v1/query_range`, or without a
 * project `/prometheus/api/v1/query_range` (the credential's project, else the default tenant).
 * Resolves to `[{label, points: [[seconds, value]…]}]`; `options` go to {@link call}.
 */
export async function promqlRange(expr, project, range, options = {}) {
  const params = new URLSearchParams({
    query: expr,
    start: String(range.start),
    end: String(range.end),
    step: String(autoStep(range)),
  });
  const base = project
    ? `/prometheus/projects/${encodeURIComponent(project)}/api/v1`
    : '/prometheus/api/v1';
  const body = await call(`${base}/query_range?${params}`, options);
  const result = body.data.result;
  if (body.data.resultType !== 'matrix') {
    throw new Error(`Expected a matrix, got ${body.data.resultType}`);
  }
  return result.map((series) => ({
    label: promLabel(series.metric),
    points: series.values.map(([t, v]) => [t, Number(v)]),
  }));
}

/** `name{a="1", b="2"}`, as Prometheus prints a series. */
export function promLabel(metric) {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}="${labels[key]}"`);
  return pairs.length === 0 ? name || '{}' : `${name}{${pairs.join(', ')}}`;
}

/**
 * Runs OpenTSDB queries, one per non-empty line of `expr` (each an `m` expression such as
 * `sum:rate:sys.cpu.user{host=*}`), with `GET /api/query`; the node parses them and answers a
 * bad one in OpenTSDB's error format. Resolves as {@link promqlRange}.
 */
export async function openTsdbRange(expr, range) {
  const params = new URLSearchParams({ start: String(range.start), end: String(range.end) });
  const lines = expr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  lines.forEach((m) => params.append('m', m));
  const body = await call(`/api/query?${params}`);
  return body.map((series) => ({
    label: tsdbLabel(series),
    points: Object.entries(series.dps)
      .map(([t, v]) => [Number(t), Number(v)])
      .sort((a, b) => a[0] - b[0]),
  }));
}

/** `metric{tag=value, …}`, as OpenTSDB writes a series. */
export function tsdbLabel(series) {
  const pairs = Object.keys(series.tags ?? {})
    .sort()
    .map((key) => `${key}=${series.tags[key]}`);
  return pairs.length === 0 ? series.metric : `${series.metric}{${pairs.join(', ')}}`;
}

/**
 * uPlot's columnar data for series whose timestamps may differ: one x column (the union of the
 * timestamps, ascending) and a y column per series with null where it has no point. With a
 * `range` ({start, end} in seconds) its ends are in the x column too, so that the graph spans the
 * whole range asked for, not just the part with data.
 */
export function alignSeries(series, range) {
  const stamps = series.flatMap((s) => s.points.map((p) => p[0]));
  if (range) {
    stamps.push(range.start, range.end);
  }
  const times = [...new Set(stamps)].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column = new Array(times.length).fill(null);
    s.points.forEach(([t, v]) => {
      column[index.get(t)] = Number.isFinite(v) ? v : null;
    });
    return column;
  });
  return [times, ...columns];
}
