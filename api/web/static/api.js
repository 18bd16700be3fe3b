// The HTTP API, with its one error shape turned into ApiError.
export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || 'http_error';
    this.suggestions = error.suggestions || [];
    this.suggestionsEn = error.suggestions_en || [];
  }
}

async function call(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (exc) {
    throw new ApiError(0, { code: 'network', message: String(exc) });
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error || {});
  return body;
}

export function get(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const qs = query.toString();
  return call(qs ? `${path}?${qs}` : path);
}

export function post(path, body) {
  return call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export const enc = encodeURIComponent;

// A request for something by its name: `.catch(asking('skill', name))` notes on a 404 what was asked for, so
// the page can say it in the reader's language (i18n.js errorText). `to`: a second name the request holds.
export const asking = (kind, name, to = '') => (err) => {
  if (err instanceof ApiError && err.code === 'not_found') err.asked = { kind, name, to };
  throw err;
};
