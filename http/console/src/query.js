// The query panel: PromQL or OpenTSDB expression, project and time range in, graph out. The form
// lives in the URL hash, so a link to the page reproduces the graph.

import { Graph } from './chart.js';
import { openTsdbRange, promqlRange } from './sources.js';
import { isRelative, resolveRange } from './time.js';

const FIELDS = ['mode', 'expr', 'project', 'range', 'from', 'to'];

const PLACEHOLDERS = {
  promql: 'PromQL, e.g. rate(http_requests_total[5m])',
  opentsdb: 'OpenTSDB m expressions, one per line, e.g. sum:rate:sys.cpu.user{host=*}',
};

/** Wires the query panel and, if the URL hash holds a query, runs it. */
export function initQuery() {
  const form = document.getElementById('query-form');
  const status = document.getElementById('query-status');
  const container = document.getElementById('query-graph');
  const graph = new Graph(container);
  let running = 0;

  const state = () => Object.fromEntries(FIELDS.map((name) => [name, value(form, name)]));

  const syncForm = () => {
    const mode = value(form, 'mode');
    document.getElementById('project-field').hidden = mode !== 'promql';
    form.elements.expr.placeholder = PLACEHOLDERS[mode];
    const custom = value(form, 'range') === 'custom';
    form.querySelectorAll('.custom-range').forEach((el) => {
      el.hidden = !custom;
    });
  };

  const run = async () => {
    const query = state();
    const id = ++running;
    if (!query.expr.trim()) {
      show('idle', 'Enter an expression and press Run.');
      graph.clear();
      return;
    }
    show('loading', 'Querying…');
    try {
      const range = resolveRange(query.range, query.from, query.to);
      const series =
        query.mode === 'opentsdb'
          ? await openTsdbRange(query.expr, range)
          : await promqlRange(query.expr.trim(), query.project.trim(), range);
      if (id !== running) {
        return;
      }
      if (series.length === 0) {
        graph.clear();
        show('empty', 'No series match this query in this range.');
        return;
      }
      graph.show(series, range);
      container.dataset.series = String(series.length);
      show('ready', `${series.length} series`);
    } catch (e) {
      if (id === running) {
        graph.clear();
        show('error', e.message);
      }
    }
  };

  const show = (graphState, text) => {
    container.dataset.state = graphState;
    status.textContent = text;
    status.classList.toggle('error', graphState === 'error');
  };

  form.addEventListener('change', syncForm);
  form.elements.expr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    writeHash(state());
    run();
  });
  window.addEventListener('hashchange', () => {
    fill(form, readHash());
    syncForm();
    run();
  });

  fill(form, readHash());
  syncForm();
  if (value(form, 'expr').trim()) {
    run();
  }
}

function value(form, name) {
  const field = form.elements[name];
  return field ? field.value ?? '' : '';
}

function fill(form, query) {
  for (const name of FIELDS) {
    if (query[name] === undefined) {
      continue;
    }
    if (name === 'mode') {
      form.querySelectorAll('input[name="mode"]').forEach((radio) => {
        radio.checked = radio.value === query.mode;
      });
    } else {
      form.elements[name].value = query[name];
    }
  }
}

/** The query in the hash, `#mode=promql&expr=…&range=1h`; only what differs from the default. */
function writeHash(query) {
  const params = new URLSearchParams();
  params.set('mode', query.mode);
  params.set('expr', query.expr);
  if (query.project && query.mode === 'promql') {
    params.set('project', query.project);
  }
  params.set('range', query.range);
  if (!isRelative(query.range)) {
    params.set('from', query.from);
    params.set('to', query.to);
  }
  history.replaceState(null, '', `#${params}`);
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const query = {};
  for (const name of FIELDS) {
    if (params.has(name)) {
      query[name] = params.get(name);
    }
  }
  if (query.mode !== undefined && query.mode !== 'opentsdb') {
    query.mode = 'promql';
  }
  return query;
}
