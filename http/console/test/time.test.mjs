import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoStep, fromLocalInput, resolveRange, toLocalInput } from '../src/time.js';

test('a relative range ends now and spans its length', () => {
  const before = Math.floor(Date.now() / 1000);
  const { start, end } = resolveRange('6h');
  assert.ok(end >= before && end <= before + 1);
  assert.equal(end - start, 6 * 3600);
});

test('a custom range needs both ends, in order', () => {
  assert.throws(() => resolveRange('custom', '', '2026-01-01T00:00:00'), /both/);
  assert.throws(() => resolveRange('custom', '2026-01-02T00:00:00', '2026-01-01T00:00:00'), /before/);
  const { start, end } = resolveRange('custom', '2026-01-01T00:00:00', '2026-01-01T01:00:00');
  assert.equal(end - start, 3600);
});

test('the step gives about 300 points, whole seconds, at least one', () => {
  assert.equal(autoStep({ start: 0, end: 3600 }), 12);
  assert.equal(autoStep({ start: 0, end: 86400 }), 288);
  assert.equal(autoStep({ start: 0, end: 60 }), 1);
});

test('datetime-local values round-trip to the second', () => {
  const millis = Date.UTC(2026, 10, 27, 21, 4, 57);
  assert.equal(fromLocalInput(toLocalInput(millis)), millis);
  assert.equal(fromLocalInput(''), null);
  assert.equal(fromLocalInput('not a date'), null);
});
