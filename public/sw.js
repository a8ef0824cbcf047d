// Lotse's service worker. This file is a template: `cargo xtask postbuild`
// (Trunk's post_build hook) writes dist/sw.js from it, with VERSION the hash
// of every file of the build, PRECACHE the exact list of those files but the
// ones fetched on demand, and ON_DEMAND those (the XLSX writer's worker: only
// a coordinator's export needs it, so no device downloads it before then).
//
// - install: precache exactly PRECACHE into `lotse-<VERSION>`, and the
//   ON_DEMAND files the old cache holds (this device used them); it does not
//   take over by itself, so old and new files never mix in one page. The app
//   shows "new version available — reload" and then posts SKIP_WAITING.
// - activate: delete every other `lotse-*` cache, claim the open pages.
// - fetch: same-origin GET only, never /sync; a navigation gets the cached
//   /index.html (the network if that is missing), anything else the cache
//   first, then the network; an ON_DEMAND file fetched from the network is
//   kept in the cache, so it works offline from its first use on.

const VERSION = "__LOTSE_VERSION__";
const PRECACHE = ["__LOTSE_PRECACHE__"];
const ON_DEMAND = ["__LOTSE_ON_DEMAND__"];

const CACHE = `lotse-${VERSION}`;
const INDEX = new URL("index.html", self.registration.scope).pathname;
const SYNC = new URL("sync", self.registration.scope).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: fetch past the HTTP cache, so the cache holds this build.
      const fresh = (urls) => cache.addAll(urls.map((url) => new Request(url, { cache: "reload" })));
      await fresh(PRECACHE);
      // An ON_DEMAND file the old build's cache holds was used on this
      // device (a coordinator exported): the new build's copy is fetched now,
      // or the next export offline would find it gone. Unused ones stay
      // undownloaded.
      const used = new Set();
      for (const name of await caches.keys()) {
        if (!name.startsWith("lotse-") || name === CACHE) continue;
        const old = await caches.open(name);
        for (const url of ON_DEMAND) if (await old.match(url)) used.add(url);
      }
      await fresh([...used]);
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("lotse-") && name !== CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SYNC || url.pathname.startsWith(SYNC + "/")) return;

  if (request.mode === "navigate") {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const cached = await cache.match(INDEX);
        return cached || fetch(request);
      })(),
    );
    return;
  }

  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok && ON_DEMAND.includes(url.pathname)) {
        await cache.put(request, response.clone());
      }
      return response;
    })(),
  );
});
