// Calls to the node's APIs, with the stored credential, and their errors in each API's own words.

import { credential, askForCredential } from './credential.js';

/** A failed API call: `status` is the HTTP status (0 when the node was not reached). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Fetches `path` from the node and returns the parsed JSON body (null for an empty one). A 401
 * opens the credential box with the API's message, so that the user can paste a key and retry;
 * for a `background` call (a panel refreshing itself) only until the user dismisses the box.
 */
export async function call(path, { method = 'GET', body, signal, background = false } = {}) {
  const headers = { Accept: 'application/json' };
  const secret = credential();
  if (secret) {
    headers.Authorization = `Bearer ${secret}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-cache',
    });
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, `The node did not answer (${e.message})`);
  }
  const text = await response.text();
  const json = parse(text);
  if (!response.ok) {
    const message = errorMessage(json) ?? (text.trim() || response.statusText);
    if (response.status === 401) {
      askForCredential(message, { background });
    }
    throw new ApiError(response.status, `${response.status}: ${message}`);
  }
  return json;
}

function parse(text) {
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The message of an error body in any of the node's formats: OpenTSDB's and Meridian's own
 * `{"error":{"message","details"}}`, Prometheus' `{"status":"error","error"}`, the log-excerpt
 * API's `{"_api_error":[…]}` and the OpenMetrics `{"header":{"resultMessage"}}`.
 */
export function errorMessage(body) {
  if (!body || typeof body !== 'object') {
    return null;
  }
  if (body.error && typeof body.error === 'object') {
    const { message, details } = body.error;
    return details ? `${message} (${details})` : message;
  }
  if (typeof body.error === 'string') {
    return body.error;
  }
  if (Array.isArray(body._api_error)) {
    return body._api_error.join('; ');
  }
  if (body.header && body.header.resultMessage) {
    return body.header.resultMessage;
  }
  return null;
}
