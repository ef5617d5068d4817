// The service worker of the offline visit log (served by casework/visits/views.py service_worker, scope "/").
// It keeps the shell only: the offline page (no family data in it) and the styles and scripts; never a page with
// family data. A page opened without a connection gets the offline page, where the visit form works from the
// families kept in IndexedDB (static/js/offline.js). The cache's name follows the shell's contents, so a new
// version replaces the old one; logging out deletes it.
"use strict";
var CACHE = "casework-shell-{{ version }}";
var SHELL = {{ shell|tojson }};
var ASSETS = {{ assets|tojson }};

function fetchShell() {
  return fetch(SHELL, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.redirected) { throw new Error("the offline page needs a logged-in user"); }
    return response;
  });
}

// the shell and what it links to under /static/ (styles and scripts other parts of the app add to every page too)
function keepShell(cache, response) {
  return response.clone().text().then(function (html) {
    var linked = [];
    var pattern = /(?:href|src)="(\/static\/[^"?#]+)"/g;
    for (var m = pattern.exec(html); m; m = pattern.exec(html)) { linked.push(m[1]); }
    var all = ASSETS.concat(linked).filter(function (u, i, list) { return list.indexOf(u) === i; });
    return Promise.all([cache.addAll(all), cache.put(SHELL, response)]);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return fetchShell().then(function (response) { return keepShell(cache, response); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("casework-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function shell() {
  return caches.open(CACHE).then(function (cache) { return cache.match(SHELL); });
}

function shellFirst() {
  // the kept copy at once; a fresh one kept for next time when the connection allows
  var fresh = fetchShell().then(function (response) {
    return caches.open(CACHE).then(function (cache) { return keepShell(cache, response.clone()); })
      .then(function () { return response; });
  });
  return shell().then(function (kept) {
    if (kept) {
      fresh.catch(function () {});
      return kept;
    }
    return fresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.pathname === SHELL) {
      event.respondWith(shellFirst().catch(function () { return fetch(request); }));
      return;
    }
    // every other page from the network, never kept; without a connection, the offline page
    event.respondWith(fetch(request).catch(function () {
      return shell().then(function (kept) { return kept || Response.error(); });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // styles, scripts, icons (never personal): the kept copy at once, refreshed for next time
    event.respondWith(caches.open(CACHE).then(function (cache) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      return cache.match(request, { ignoreSearch: true }).then(function (kept) {
        if (kept) {
          fresh.catch(function () {});
          return kept;
        }
        return fresh;
      });
    }));
  }
});
