// The ingest-rate panel: samples accepted per second by the whole cluster over the last 15
// minutes, from the nodes' self-monitoring samples in the internal project.

import { Graph } from './chart.js';
import { keepFresh } from './credential.js';
import { promqlRange } from './sources.js';

const QUERY = 'sum(rate(meridian_samples_ingested_total[1m]))';
const PROJECT = 'internal';
const WINDOW_SECONDS = 15 * 60;
const REFRESH_MILLIS = 15000;

/** Wires the ingest-rate panel and starts refreshing it. */
export function initIngest() {
  const status = document.getElementById('ingest-status');
  const container = document.getElementById('ingest-graph');
  const graph = new Graph(container, { height: 160, legend: false });

  const refresh = async () => {
    const end = Math.floor(Date.now() / 1000);
    try {
      const range = { start: end - WINDOW_SECONDS, end };
      const series = await promqlRange(QUERY, PROJECT, range, { background: true });
      if (series.length === 0 || series[0].points.length === 0) {
        graph.clear();
        status.textContent = 'No data yet: nodes store their ingest counters every 15 s.';
        status.classList.remove('error');
      } else {
        const points = series[0].points;
        graph.show([{ label: 'samples/s', points }], range);
        status.textContent = `now ${points[points.length - 1][1].toFixed(1)} samples/s`;
        status.classList.remove('error');
      }
    } catch (e) {
      graph.clear();
      status.textContent = refusal(e) ?? `No data yet (${e.message})`;
      status.classList.toggle('error', refusal(e) !== null);
    }
  };

  keepFresh(refresh, REFRESH_MILLIS);
}

/** What to say when the node refused to show the internal project, or null. */
function refusal(e) {
  if (e.status === 401) {
    return 'Give a credential (Credential, top right) to see the ingest rate.';
  }
  if (e.status === 403) {
    return 'The internal project needs an admin credential.';
  }
  return null;
}
