// Entry point: hash router, header, one live stream per open congress.

import { renderHeader } from './components/header.js';
import { api } from './lib/api.js';
import { h, loadView, mount } from './lib/dom.js';
import { LiveStream } from './lib/live.js';
import { clearToasts } from './lib/toast.js';
import { clearSession, entryPointFor, getToken, getUser, rememberReturn, saveSession } from './lib/session.js';

const ROUTES = [
  { pattern: /^\/login$/, page: 'login', load: () => import('./views/login.js'), public: true },
  { pattern: /^\/congresses$/, page: 'congresses', load: () => import('./views/congresses.js') },
  { pattern: /^\/c\/([^/]+)$/, page: 'dashboard', load: () => import('./views/dashboard.js') },
  { pattern: /^\/c\/([^/]+)\/delegates$/, page: 'delegates', load: () => import('./views/delegates.js') },
  { pattern: /^\/c\/([^/]+)\/desk$/, page: 'desk', load: () => import('./views/desk.js') },
  { pattern: /^\/c\/([^/]+)\/faces$/, page: 'faces', load: () => import('./views/faces.js') },
  { pattern: /^\/c\/([^/]+)\/faces\/station$/, page: 'faces', load: () => import('./views/face-station.js') },
  { pattern: /^\/c\/([^/]+)\/users$/, page: 'users', load: () => import('./views/users.js') },
  { pattern: /^\/c\/([^/]+)\/seating$/, page: 'seating', load: () => import('./views/seating.js') },
  { pattern: /^\/c\/([^/]+)\/settings$/, page: 'settings', load: () => import('./views/settings.js') },
  { pattern: /^\/c\/([^/]+)\/credentials$/, page: 'credentials', load: () => import('./views/credentials.js') },
  { pattern: /^\/c\/([^/]+)\/print$/, page: 'print', load: () => import('./views/print.js') },
  { pattern: /^\/c\/([^/]+)\/hall$/, page: 'hall', load: () => import('./views/hall.js'), bare: true },
  { pattern: /^\/c\/([^/]+)\/agenda$/, page: 'agenda', load: () => import('./views/agenda.js') },
  { pattern: /^\/c\/([^/]+)\/documents$/, page: 'documents', load: () => import('./views/documents.js') },
  { pattern: /^\/c\/([^/]+)\/announcements$/, page: 'announcements', load: () => import('./views/announcements.js') },
];

const headerEl = document.getElementById('app-header');
const mainEl = document.getElementById('main');
const state = { cleanup: null, headerCleanup: null, seq: 0, live: null, congress: null };

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path] = raw.split('?');
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) return { route, cid: m[1] ? decodeURIComponent(m[1]) : null };
  }
  return null;
}

async function navigate() {
  const seq = ++state.seq;
  runCleanup();
  const match = parseHash();
  if (!match) {
    location.replace(getToken() ? '#/congresses' : '#/login');
    return;
  }
  const { route, cid } = match;
  if (!route.public && !getToken()) {
    rememberReturn(location.hash);
    location.replace('#/login');
    return;
  }
  if (!route.public && !getUser()) await refreshProfile();
  if (seq !== state.seq) return;
  const user = getUser();
  const elsewhere = route.public ? null : entryPointFor(user);
  if (elsewhere) {
    location.replace(elsewhere); // a kiosk's or a delegate's token never sees organiser screens
    return;
  }
  const module = loadView(route.load, mainEl); // fetched while the congress loads
  const congress = cid ? await loadCongress(cid) : null;
  if (seq !== state.seq) return;
  if (cid && !congress) {
    mount(mainEl, notFound());
    drawHeader(user, null, route.page);
    return;
  }
  switchLive(cid);
  document.body.classList.toggle('bare', Boolean(route.bare)); // the hall's big screen: no header, no menus
  if (route.bare) clearToasts(); // nor the console's messages over the verdict
  drawHeader(route.public ? null : user, congress, route.page);
  mount(mainEl, h('p', { class: 'loading', role: 'status' }, 'Đang tải…'));
  const view = await module;
  if (seq !== state.seq || !view) return;
  const ctx = { user, congress, cid, live: state.live, go: (hash) => (location.hash = hash), setTitle };
  const cleanup = await view.render(mainEl, ctx);
  if (seq !== state.seq) cleanup?.();
  else state.cleanup = cleanup || null;
}

function runCleanup() {
  const fn = state.cleanup;
  state.cleanup = null;
  try {
    fn?.();
  } catch (err) {
    console.error(err);
  }
}

async function loadCongress(cid) {
  if (state.congress?.id === cid) return state.congress;
  try {
    state.congress = await api(`/api/congresses/${encodeURIComponent(cid)}`);
    return state.congress;
  } catch {
    return null;
  }
}

function switchLive(cid) {
  if (state.live?.congressId === cid) return;
  state.live?.stop();
  state.live = null;
  if (cid) {
    state.live = new LiveStream(cid);
    state.live.on(({ type, data }) => {
      if (type === 'congress.updated' && data?.payload && state.congress?.id === cid) {
        const { name, level, venue, starts_on } = data.payload;
        state.congress = { ...state.congress, name, level, venue, starts_on };
        const match = parseHash();
        if (match?.cid === cid) drawHeader(getUser(), state.congress, match.route.page);
      }
    });
    state.live.start();
  }
}

function drawHeader(user, congress, page) {
  state.headerCleanup?.();
  state.headerCleanup = renderHeader(headerEl, { user, congress, page, live: congress ? state.live : null, onLogout: logout });
}

function setTitle(text) {
  const name = state.congress && parseHash()?.cid ? ` · ${state.congress.name}` : '';
  document.title = `${text}${name} — Đại hội Công đoàn`;
}

function logout() {
  clearSession();
  state.live?.stop();
  state.live = null;
  state.congress = null;
  location.hash = '#/login';
}

function notFound() {
  return h(
    'section',
    { class: 'card narrow', testid: 'not-found' },
    h('h1', {}, 'Không tìm thấy đại hội'),
    h('p', {}, 'Đại hội không tồn tại hoặc bạn không có quyền truy cập.'),
    h('a', { class: 'btn btn-primary', href: '#/congresses' }, 'Về danh sách đại hội'),
  );
}

/** Refresh the cached profile (role, congresses) when a token is already stored. */
async function refreshProfile() {
  if (!getToken()) return;
  try {
    saveSession(null, await api('/api/auth/me', { silent: true }));
  } catch {
    /* 401 already sends us to login; other errors: keep the cached profile */
  }
}

document.querySelector('[data-skip]')?.addEventListener('click', (e) => {
  e.preventDefault();
  mainEl.focus();
});
window.addEventListener('hashchange', navigate);
refreshProfile().finally(navigate);
