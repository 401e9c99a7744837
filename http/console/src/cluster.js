// The cluster panel: every member with its status, reachability and the shards and entities it
// hosts, from the native cluster API (`GET /v1/cluster/members`, admin scope), refreshed every few
// seconds.

import { call } from './api.js';
import { keepFresh } from './credential.js';

const REFRESH_MILLIS = 5000;

/** Wires the cluster panel and starts refreshing it. */
export function initCluster() {
  const body = document.querySelector('#cluster-members tbody');
  const status = document.getElementById('cluster-status');
  const updated = document.getElementById('cluster-updated');
  const panel = document.getElementById('cluster');

  const refresh = async () => {
    try {
      const cluster = await call('/v1/cluster/members', { background: true });
      body.replaceChildren(...cluster.members.map((member) => row(member, cluster)));
      status.textContent = health(cluster) + incomplete(cluster);
      status.classList.toggle('error', !healthy(cluster));
      panel.dataset.state = 'ready';
      updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      status.textContent =
        e.status === 403 ? `${e.message} (the cluster view needs an admin credential)` : e.message;
      status.classList.add('error');
      panel.dataset.state = 'error';
    }
  };

  keepFresh(refresh, REFRESH_MILLIS);
}

function row(member, cluster) {
  const tr = document.createElement('tr');
  tr.dataset.address = member.address;
  tr.dataset.status = member.status;
  tr.classList.toggle('unhealthy', member.status !== 'Up' || !member.reachable);
  const roles = [];
  if (member.self) {
    roles.push('this node');
  }
  if (member.address === cluster.leader) {
    roles.push('leader');
  }
  if (member.address === cluster.oldest) {
    roles.push('oldest');
  }
  const address = cell(member.address);
  if (roles.length > 0) {
    const note = document.createElement('span');
    note.className = 'hint';
    note.textContent = ` (${roles.join(', ')})`;
    address.append(note);
  }
  tr.append(
    address,
    cell(member.status, 'status'),
    cell(member.reachable ? 'yes' : 'NO', 'reachable'),
    cell(member.dataCenter ?? ''),
    cell(counts(member.shards, member.entities), 'shards'),
  );
  return tr;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

/**
 * One line per entity type the member hosts shards of, `SeriesGroup 12 (40)`: shards, and in
 * parentheses the entities running in them; a dash when it hosts none.
 */
function counts(shards, entities) {
  const lines = Object.entries(shards ?? {})
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${type} ${n} (${(entities ?? {})[type] ?? 0})`);
  return lines.length === 0 ? '—' : lines.join('\n');
}

/** A note on shard and entity counts some members did not give in time. */
function incomplete(cluster) {
  const types = cluster.incompleteTypes ?? [];
  return types.length === 0 ? '' : ` (counts incomplete for ${types.join(', ')}: retried shortly)`;
}

function healthy(cluster) {
  return (
    cluster.unreachable.length === 0 &&
    cluster.members.every((member) => member.status === 'Up' && member.reachable)
  );
}

function health(cluster) {
  const n = cluster.members.length;
  const members = `${n} member${n === 1 ? '' : 's'}`;
  if (healthy(cluster)) {
    return `${members}, all Up and reachable`;
  }
  const problems = cluster.members
    .filter((member) => member.status !== 'Up' || !member.reachable)
    .map((member) => `${member.address} ${member.status}${member.reachable ? '' : ', unreachable'}`);
  return `${members}; attention: ${problems.join('; ')}`;
}
