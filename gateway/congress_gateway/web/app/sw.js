// Service worker of the delegate app: the app shell offline, pages of opened documents offline,
// the latest lists (documents, agenda, announcements) when the hall's Wi-Fi fails.
const SHELL = 'dai-bieu-shell-v4';
const DATA = 'dai-bieu-data';
const PAGES = 'dai-bieu-pages';
const SHELL_FILES = [
  '/app/', '/app/main.js', '/app/app.css', '/app/manifest.webmanifest', '/app/icon.svg', '/app/icon-192.png',
  '/app/views/login.js', '/app/views/home.js', '/app/views/reader.js', '/app/views/ui.js',
  '/static/lib/api.js', '/static/lib/dom.js', '/static/lib/events.js', '/static/lib/live.js',
  '/static/lib/format.js', '/static/lib/session.js', '/static/lib/toast.js', '/static/delegate/seat-view.js', '/static/delegate/seat-view.css',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('dai-bieu-shell-') && key !== SHELL) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'logout') event.waitUntil(Promise.all([caches.delete(DATA), caches.delete(PAGES)]));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.endsWith('/stream') || url.pathname.startsWith('/api/auth/')) return;
  if (/^\/api\/congresses\/[^/]+\/documents\/[^/]+\/pages\//.test(url.pathname)) {
    event.respondWith(cacheFirst(PAGES, request));
  } else if (url.pathname.startsWith('/api/') && !url.pathname.endsWith('/file')) {
    event.respondWith(networkFirst(DATA, request));
  } else if (url.pathname.startsWith('/app') || url.pathname.startsWith('/static/lib/')) {
    event.respondWith(networkFirst(SHELL, request));
  }
});

async function cacheFirst(name, request) {
  const cache = await caches.open(name);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(name, request) {
  const cache = await caches.open(name);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const hit = await cache.match(request, { ignoreSearch: name === SHELL });
    if (hit) return hit;
    throw err;
  }
}
