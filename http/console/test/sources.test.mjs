import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignSeries, promLabel, tsdbLabel } from '../src/sources.js';

test('a Prometheus series is named as Prometheus prints it, labels sorted', () => {
  assert.equal(promLabel({ job: 'api', __name__: 'up', instance: 'a:1' }), 'up{instance="a:1", job="api"}');
  assert.equal(promLabel({ __name__: 'up' }), 'up');
  assert.equal(promLabel({ host: 'a' }), '{host="a"}');
  assert.equal(promLabel({}), '{}');
});

test('an OpenTSDB series is named metric{tag=value}, tags sorted', () => {
  assert.equal(tsdbLabel({ metric: 'sys.cpu', tags: { host: 'a', dc: 'x' } }), 'sys.cpu{dc=x, host=a}');
  assert.equal(tsdbLabel({ metric: 'sys.cpu', tags: {} }), 'sys.cpu');
});

test('series with different timestamps share one x column, with nulls where they have no point', () => {
  const data = alignSeries([
    { label: 'a', points: [[10, 1], [30, 3]] },
    { label: 'b', points: [[20, 2], [30, NaN]] },
  ]);
  assert.deepEqual(data, [
    [10, 20, 30],
    [1, null, 3],
    [null, 2, null],
  ]);
});

test('the range asked for is spanned even where there is no data', () => {
  const data = alignSeries([{ label: 'a', points: [[20, 1]] }], { start: 0, end: 60 });
  assert.deepEqual(data, [
    [0, 20, 60],
    [null, 1, null],
  ]);
});
