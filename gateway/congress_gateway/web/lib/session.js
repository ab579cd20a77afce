// The signed-in user: bearer token and profile, kept in localStorage.

const TOKEN_KEY = 'congress.token';
const USER_KEY = 'congress.user';
const RETURN_KEY = 'congress.returnTo';

export function getToken() {
  return localStorage.getItem(TOKEN_KEY);
}

/** {role, display_name, congress_ids, …} or null. */
export function getUser() {
  try {
    return JSON.parse(localStorage.getItem(USER_KEY) || 'null');
  } catch {
    return null;
  }
}

export function saveSession(token, user) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  const { access_token: _t, token_type: _tt, ...profile } = user || {};
  // /api/auth/token says display_name, /api/auth/me (the token's claims) says name: keep one.
  profile.display_name ??= profile.name ?? profile.username ?? '';
  localStorage.setItem(USER_KEY, JSON.stringify(profile));
}

export function clearSession() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

export function isAdmin(user = getUser()) {
  return user?.role === 'admin';
}

/** Admins and organisers run the congress (this console is theirs). */
export function canManage(user = getUser()) {
  return user?.role === 'admin' || user?.role === 'organiser';
}

export const canCheckIn = canManage;

/** Kiosks and delegates have their own entry points: the console is never theirs. */
const ENTRY_POINTS = { kiosk: '/kiosk', delegate: '/app' };

export function entryPointFor(user = getUser()) {
  return ENTRY_POINTS[user?.role] || null;
}

/** Where to go back to after signing in again. */
export function rememberReturn(hash) {
  if (hash && !hash.startsWith('#/login')) sessionStorage.setItem(RETURN_KEY, hash);
}

export function takeReturn() {
  const hash = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return hash;
}
