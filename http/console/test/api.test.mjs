import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMessage } from '../src/api.js';

test("each API's error body gives its message", () => {
  assert.equal(
    errorMessage({ error: { code: 400, message: 'No such metric', details: 'sys.nope' } }),
    'No such metric (sys.nope)',
  );
  assert.equal(errorMessage({ error: { code: 401, message: 'Credentials required' } }), 'Credentials required');
  assert.equal(
    errorMessage({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }),
    'parse error at char 3',
  );
  assert.equal(errorMessage({ _api_error: ['a', 'b'] }), 'a; b');
  assert.equal(
    errorMessage({ header: { resultCode: 'X', resultMessage: 'INVALID_HOST_OR_PROJECT' } }),
    'INVALID_HOST_OR_PROJECT',
  );
  assert.equal(errorMessage(null), null);
  assert.equal(errorMessage({ data: 1 }), null);
});
