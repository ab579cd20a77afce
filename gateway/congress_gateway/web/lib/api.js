// fetch wrapper: bearer token, JSON in/out, Vietnamese error messages, 401 → login.

import { clearSession, getToken, rememberReturn } from './session.js';
import { toastError } from './toast.js';

export class ApiError extends Error {
  constructor(status, detail, errors = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.errors = errors;
  }
}

const NETWORK_MESSAGE = 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.';
const SERVER_MESSAGE = 'Lỗi hệ thống, vui lòng thử lại';
// where a 401 means "wrong username/password, code/PIN", not "your session expired": the form says so itself
const SIGN_IN_PATHS = ['/api/auth/token', '/api/auth/delegate'];

/**
 * api('/api/congresses', {method: 'POST', json: {...}})
 * Options: method, json (body as JSON), form (FormData), query (object), as ('json'|'blob'|'response'),
 * silent (do not toast the error; the caller shows it), signal.
 * Resolves with the parsed body (null for 204); rejects with ApiError.
 */
export async function api(path, opts = {}) {
  const { method = 'GET', json, form, query, as = 'json', silent = false, signal } = opts;
  const headers = { Accept: as === 'json' ? 'application/json' : '*/*' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) body = form;

  let res;
  try {
    res = await fetch(withQuery(path, query), { method, headers, body, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    if (!silent) toastError(NETWORK_MESSAGE);
    throw new ApiError(0, NETWORK_MESSAGE);
  }
  if (res.ok) return readBody(res, as);
  const error = await errorFrom(res);
  if (res.status === 401 && !SIGN_IN_PATHS.some((p) => path.startsWith(p))) {
    signOutExpired(error.detail);
  } else if (!silent) {
    toastError(error.detail);
  }
  throw error;
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readBody(res, as) {
  if (as === 'response') return res;
  if (as === 'blob') return res.blob();
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

async function errorFrom(res) {
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* not JSON */
  }
  const errors = Array.isArray(data?.errors) ? data.errors : [];
  let detail = data?.detail;
  if (Array.isArray(detail)) detail = detail.map((d) => d.msg || String(d)).join('; ');
  if (typeof detail !== 'string' || !detail) detail = res.status >= 500 ? SERVER_MESSAGE : `Lỗi ${res.status}`;
  return new ApiError(res.status, detail, errors);
}

let redirecting = false;
function signOutExpired(detail) {
  clearSession();
  if (redirecting) return;
  redirecting = true;
  rememberReturn(location.hash);
  toastError(detail || 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại');
  location.hash = '#/login';
  setTimeout(() => {
    redirecting = false;
  }, 1000);
}

/** Fetch a protected file (it needs the Authorization header, so a plain link will not do). */
export async function fetchFile(path) {
  const res = await api(path, { as: 'response' });
  return { blob: await res.blob(), disposition: res.headers.get('Content-Disposition') };
}
