// The delegate app: its own entry point (no organiser code), hash routes, one live stream, offline aware.
import { h, loadView, mount } from '/static/lib/dom.js';
import { LiveStream } from '/static/lib/live.js';
import { clearSession, getToken, getUser } from '/static/lib/session.js';
import { clearToasts } from '/static/lib/toast.js';
import { congressId } from './views/ui.js';

const main = document.getElementById('main');
const banner = document.getElementById('offline');
const state = { live: null, cleanup: null, seq: 0 };

const ROUTES = [
  { pattern: /^\/login$/, load: () => import('./views/login.js'), public: true },
  { pattern: /^\/$/, load: () => import('./views/home.js') },
  { pattern: /^\/doc\/([^/]+)$/, load: () => import('./views/reader.js') },
];

function match() {
  const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) return { route, param: m[1] ? decodeURIComponent(m[1]) : null };
  }
  return null;
}

async function navigate() {
  const seq = ++state.seq;
  state.cleanup?.();
  state.cleanup = null;
  const found = match();
  if (!found) return location.replace('#/');
  const user = getUser();
  if (!found.route.public && (!getToken() || user?.role !== 'delegate')) return location.replace('#/login');
  if (found.route.public) {
    stopLive();
    clearToasts();
  } else startLive(user.congress_ids[0]);
  window.scrollTo(0, 0); // a document opens at its title, not where the list was scrolled to
  const ctx = { user, cid: user?.congress_ids?.[0] || congressId(), param: found.param, live: state.live, logout, go };
  const view = await loadView(found.route.load, main);
  if (seq !== state.seq || !view) return;
  const cleanup = await view.render(main, ctx);
  if (seq === state.seq) state.cleanup = cleanup || null;
  else cleanup?.();
}

function go(hash) {
  location.hash = hash;
}

function startLive(cid) {
  if (state.live?.congressId === cid) return;
  stopLive();
  state.live = new LiveStream(cid);
  state.live.onStatus((status) => showOffline(status === 'offline' || !navigator.onLine));
  state.live.start();
}

function stopLive() {
  state.live?.stop();
  state.live = null;
}

function showOffline(offline) {
  banner.hidden = !offline;
  document.body.classList.toggle('is-offline', offline);
}

function logout() {
  clearSession();
  navigator.serviceWorker?.controller?.postMessage('logout');
  stopLive();
  location.hash = '#/login';
}

window.addEventListener('online', () => showOffline(state.live?.status === 'offline'));
window.addEventListener('offline', () => showOffline(true));
window.addEventListener('hashchange', navigate);
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {});
mount(main, h('p', { class: 'muted' }, 'Đang tải…'));
showOffline(!navigator.onLine);
navigate();
