// campusM Support portal service worker.
// - The app shell (index.html and the hashed script, wasm and style files, the pages' parts of
//   the wasm included) loads offline.
// - The signed-in user's cases, as last seen, stay readable offline: API reads go to the network
//   first and fall back to the last copy, marked with an `X-Portal-Offline` header (the time it
//   was fetched) so the portal shows its "offline — last updated …" banner.
// - Signing in or out drops every stored answer: one user's cases never show for another.
// Nothing else is stored: no writes, no attachments.
const SHELL = 'portal-shell-v2';
const DATA = 'portal-data-v1';
const ASSET = /["'](\/[^"'?#]+\.(?:js|wasm|css|svg))["']/g;

async function cacheShell() {
  const cache = await caches.open(SHELL);
  const res = await fetch('/', { cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put('/', res);
  const assets = [...new Set([...html.matchAll(ASSET)].map((m) => m[1]))];
  await Promise.all(assets.map((a) => cache.add(a).catch(() => undefined)));
  // The pages' parts of the wasm: named by the loader script (and any other script) only.
  const more = new Set();
  for (const a of assets.filter((a) => a.endsWith('.js'))) {
    const res = await cache.match(a);
    if (!res) continue;
    for (const m of (await res.text()).matchAll(ASSET)) if (!assets.includes(m[1])) more.add(m[1]);
  }
  await Promise.all([...more].map((a) => cache.add(a).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== DATA).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const readable = (path) =>
  path === '/api/v1/me' || path === '/api/v1/config' ||
  (path.startsWith('/api/v1/cases') && !path.includes('/attachments/'));

async function networkFirst(request) {
  try {
    const res = await fetch(request);
    if (res.status === 200) {
      const copy = res.clone();
      const cache = await caches.open(DATA);
      await cache.put(request, copy);
    }
    return res;
  } catch (err) {
    const cache = await caches.open(DATA);
    const hit = await cache.match(request, { ignoreVary: true });
    if (!hit) throw err;
    const headers = new Headers(hit.headers);
    headers.set('X-Portal-Offline', hit.headers.get('date') || new Date(0).toUTCString());
    return new Response(hit.body, { status: 200, headers });
  }
}

async function page(request) {
  try {
    const res = await fetch(request);
    if (res.ok) {
      const copy = res.clone();
      caches.open(SHELL).then((c) => c.put('/', copy));
    }
    return res;
  } catch (err) {
    const hit = await caches.match('/', { cacheName: SHELL });
    if (hit) return hit;
    throw err;
  }
}

async function asset(request) {
  const hit = await caches.match(request, { cacheName: SHELL });
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) {
    const copy = res.clone();
    caches.open(SHELL).then((c) => c.put(request, copy));
  }
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/v1/session') {
    event.waitUntil(caches.delete(DATA));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith('/api/')) {
    if (readable(url.pathname)) event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
    return;
  }
  if (ASSET.test(`"${url.pathname}"`)) {
    ASSET.lastIndex = 0;
    event.respondWith(asset(request));
  }
  ASSET.lastIndex = 0;
});
