// Time ranges as the query and log forms give them, and the step a graph of them is drawn with.

const RELATIVE = { '5m': 5 * 60, '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600 };

/** Whether `range` is one of the relative ranges ("last hour"). */
export function isRelative(range) {
  return Object.hasOwn(RELATIVE, range);
}

/**
 * The range to query as `{start, end}` in Unix seconds: the last 5m/1h/6h/24h up to now, or for
 * "custom" the given datetime-local values.
 */
export function resolveRange(range, from, to) {
  if (isRelative(range)) {
    const end = Math.floor(Date.now() / 1000);
    return { start: end - RELATIVE[range], end };
  }
  const start = fromLocalInput(from);
  const end = fromLocalInput(to);
  if (start === null || end === null) {
    throw new Error('A custom range needs both "from" and "to"');
  }
  if (start >= end) {
    throw new Error('"from" must be before "to"');
  }
  return { start: Math.floor(start / 1000), end: Math.floor(end / 1000) };
}

/**
 * The step for a range: about 300 points across it (a graph a few hundred pixels wide shows no
 * more), in whole seconds, at least one.
 */
export function autoStep({ start, end }) {
  return Math.max(1, Math.ceil((end - start) / 300));
}

/** Milliseconds since the epoch of a datetime-local input's value (local time), or null. */
export function fromLocalInput(value) {
  if (!value) {
    return null;
  }
  const millis = new Date(value).getTime();
  return Number.isNaN(millis) ? null : millis;
}

/** A datetime-local input's value (local time, to the second) for milliseconds since the epoch. */
export function toLocalInput(millis) {
  const date = new Date(millis);
  const pad = (n) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
