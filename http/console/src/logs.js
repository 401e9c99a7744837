// The log viewer: the entries of a `(from, to]` range of the log-excerpt API, narrowed by service,
// level and text, and a live tail that follows new entries with the API's long polling.

import { ApiError, call } from './api.js';
import { fromLocalInput, toLocalInput } from './time.js';

const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'UNKNOWN'];

/** Entries kept on the page; older ones are dropped first while tailing. */
const MAX_ENTRIES = 2000;

/** How far ahead a tail's `to` lies: it must be in the future for the API to wait. */
const TAIL_AHEAD_MILLIS = 24 * 3600 * 1000;

/** Wires the log viewer, its range prefilled with the last 15 minutes. */
export function initLogs() {
  const form = document.getElementById('logs-form');
  const status = document.getElementById('logs-status');
  const list = document.getElementById('log-entries');
  const panel = document.getElementById('logs');
  const tailButton = document.getElementById('logs-tail');
  const stopButton = document.getElementById('logs-stop');
  let tail = null;

  const now = Date.now();
  form.elements.from.value = toLocalInput(now - 15 * 60 * 1000);
  form.elements.to.value = toLocalInput(now);

  const say = (text, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };

  const stopTail = () => {
    if (tail) {
      tail.abort();
      tail = null;
    }
    tailButton.hidden = false;
    stopButton.hidden = true;
    panel.dataset.state = 'idle';
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    stopTail();
    const from = fromLocalInput(form.elements.from.value);
    const to = fromLocalInput(form.elements.to.value);
    if (from === null || to === null) {
      say('Give both "from" and "to".', true);
      return;
    }
    say('Loading…');
    try {
      const entries = await excerpt(from, to, filters(form));
      list.replaceChildren(...entries.map(item));
      say(
        `${count(entries.length)} in (${new Date(from).toLocaleString()}, ` +
          `${new Date(to).toLocaleString()}]`,
      );
    } catch (e) {
      say(e.message, true);
    }
  });

  tailButton.addEventListener('click', () => {
    stopTail();
    list.replaceChildren();
    const controller = new AbortController();
    tail = controller;
    tailButton.hidden = true;
    stopButton.hidden = false;
    follow(Date.now(), filters(form), controller.signal, {
      waiting: (since) => {
        panel.dataset.state = 'tailing';
        say(`Live tail: waiting for entries after ${new Date(since).toLocaleTimeString()}…`);
      },
      arrived: (entries) => append(list, entries),
      failed: (e) => {
        say(`Live tail stopped: ${e.message}`, true);
        stopTail();
      },
    });
  });

  stopButton.addEventListener('click', () => {
    stopTail();
    say(`Live tail stopped; ${count(list.children.length)} shown.`);
  });
}

function count(n) {
  return n === 1 ? '1 entry' : `${n} entries`;
}

function filters(form) {
  const params = new URLSearchParams();
  for (const name of ['service', 'level', 'contains']) {
    const value = form.elements[name].value.trim();
    if (value) {
      params.set(name, value);
    }
  }
  return params;
}

/** The parsed entries of `(from, to]`; `extra` adds the filters and long polling. */
async function excerpt(from, to, extra, signal) {
  const query = extra.toString();
  const body = await call(`/v1/log_excerpts/${from}/${to}${query ? `?${query}` : ''}`, { signal });
  return body.log_excerpt.entries.map((text) => JSON.parse(text));
}

/**
 * Follows the log from `since` until `signal` aborts: each long poll waits for entries after the
 * last one seen (the range is open at `from`, so none is shown twice) and is asked again when the
 * node answers empty at its poll timeout.
 */
async function follow(since, params, signal, { waiting, arrived, failed }) {
  let from = since;
  const poll = new URLSearchParams(params);
  poll.set('long_polling', 'true');
  while (!signal.aborted) {
    waiting(from);
    try {
      const entries = await excerpt(from, Date.now() + TAIL_AHEAD_MILLIS, poll, signal);
      if (entries.length > 0) {
        arrived(entries);
        from = entries[entries.length - 1].timestamp;
      }
    } catch (e) {
      if (e.name !== 'AbortError' && !signal.aborted) {
        failed(e instanceof ApiError ? e : new Error(String(e.message ?? e)));
      }
      return;
    }
  }
}

function append(list, entries) {
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.append(...entries.map(item));
  while (list.children.length > MAX_ENTRIES) {
    list.firstElementChild.remove();
  }
  if (atBottom) {
    list.scrollTop = list.scrollHeight;
  }
}

/** One entry: time, level, service and message (or the request it logged); click for all of it. */
function item(entry) {
  const li = document.createElement('li');
  const level = LEVELS[entry.level] ?? String(entry.level);
  li.className = `level-${level.toLowerCase()}`;
  const text =
    entry.msg !== undefined
      ? entry.msg
      : `${entry.method} ${entry.path} → ${entry.status} in ${entry.runtime} ms`;
  li.append(
    span('time', new Date(entry.timestamp).toLocaleString()),
    span('level', level),
    span('service', `${entry.service} ${entry.ip} [${entry.pid}]`),
    span('msg', text),
  );
  const raw = document.createElement('pre');
  raw.className = 'raw';
  raw.textContent = JSON.stringify(entry, null, 2);
  raw.hidden = true;
  li.append(raw);
  li.addEventListener('click', () => {
    raw.hidden = !raw.hidden;
  });
  return li;
}

function span(className, text) {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}
