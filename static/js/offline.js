// The visit log without a connection (casework/visits/views.py "offline", docs/privacy.md "On the phone").
//
// On the phone, in IndexedDB "casework-offline":
//   families  the assistant's current families: id, case number, surname, address (nothing else), refreshed from
//             /visits/offline/data while online;
//   queue     the visits logged without a connection, each with a key made here (a UUID) until the server has
//             answered for it: sent again as often as needed, the same key is saved once (201 new, 200 the same);
//             a refusal (the visit rules, a visit saved twice) stays on the phone with the server's reasons;
//   meta      who the data belongs to and when the list was read.
// The service worker (templates/visits/sw.js) keeps only the shell (the offline page, styles, scripts).
// Logging out deletes all of it (after asking when visits are still waiting); a page shown to nobody logged in
// deletes the family list and the shell (an expired session keeps only the unsent visits, for their author).
(function () {
  "use strict";
  var DB_NAME = "casework-offline";
  var config = document.querySelector("meta[name=casework-offline]");
  var statusBox = document.getElementById("offline-status");
  var user = config ? config.dataset.user : null;
  var canLog = !!(config && config.dataset.shell);
  var syncing = null;

  function msg(name, count) {
    var text = (statusBox && statusBox.dataset["msg" + name]) || "";
    return text.replace("{n}", String(count));
  }

  // --- IndexedDB ---------------------------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("families", { keyPath: "id" });
        db.createObjectStore("queue", { keyPath: "key" });
        db.createObjectStore("meta", { keyPath: "name" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        Promise.resolve(work(tx.objectStore(storeName), function (r) { result = r; }));
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function getAll(storeName) {
    return run(storeName, "readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () { done(request.result || []); };
    });
  }

  function put(storeName, value) {
    return run(storeName, "readwrite", function (store) { store.put(value); });
  }

  function remove(storeName, key) {
    return run(storeName, "readwrite", function (store) { store["delete"](key); });
  }

  function clear(storeName) {
    return run(storeName, "readwrite", function (store) { store.clear(); });
  }

  function myQueue() {
    return getAll("queue").then(function (items) {
      return items.filter(function (item) { return user === null || item.user === user; })
        .sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }

  // --- forgetting: logout, a page for nobody logged in ---------------------------------------------------------
  function dropCaches() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("casework-") === 0; })
        .map(function (k) { return caches["delete"](k); }));
    })["catch"](function () {});
  }

  function dropShell() {
    var work = [dropCaches()];
    if (navigator.serviceWorker) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(work)["catch"](function () {});
  }

  function forgetAll() {
    try { // the drafts of forms (static/js/drafts.js)
      Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf("casework-draft") === 0) { sessionStorage.removeItem(k); } });
    } catch (e) { /* no sessionStorage */ }
    var work = [dropShell()];
    if (window.indexedDB) {
      work.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    return Promise.all(work);
  }

  // a page for nobody logged in: the caches and the family list go; the worker stays registered (without its cache
  // it keeps nothing; unregistering here could undo the registration of the page the user is logging in to)
  function forgetFamilies() {
    return Promise.all([clear("families"), clear("meta"), dropCaches()])["catch"](function () {});
  }

  // --- the state line under the header ---------------------------------------------------------------------
  function showStatus(extra) {
    if (!statusBox) { return Promise.resolve(); }
    return myQueue()["catch"](function () { return []; }).then(function (items) {
      var waiting = items.filter(function (i) { return i.state !== "refused"; }).length;
      var refused = items.length - waiting;
      var text = statusBox.querySelector(".offline-status-text");
      var link = statusBox.querySelector(".offline-status-link");
      var parts = [];
      if (!navigator.onLine) { parts.push(msg("Offline")); }
      if (extra) { parts.push(extra); }
      var linkText = [];
      if (waiting) { linkText.push(msg(user && canLog ? "Waiting" : "Login", waiting)); }
      if (refused) { linkText.push(msg("Refused", refused)); }
      text.textContent = parts.join(" ") + (parts.length && linkText.length ? " " : "");
      link.textContent = linkText.join(" · ");
      link.hidden = !linkText.length;
      statusBox.hidden = !parts.length && !linkText.length;
      statusBox.classList.toggle("has-refused", refused > 0);
      document.dispatchEvent(new CustomEvent("offline-queue-changed", { detail: items }));
    });
  }

  // --- the families kept on the phone -----------------------------------------------------------------------
  function readData() {
    return fetch(config.dataset.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!response.ok || response.redirected || !json) { throw new Error("login"); }
        return response.json();
      });
  }

  function storeFamilies(data) {
    return run("families", "readwrite", function (store) {
      store.clear();
      data.families.forEach(function (f) {
        store.put({ id: f.id, case_number: f.case_number, name: f.name, address: f.address });
      });
    }).then(function () {
      return put("meta", { name: "families", user: user, read_at: Date.now() });
    });
  }

  function refreshFamilies(force) {
    if (!canLog || !navigator.onLine) { return Promise.resolve(); }
    return getAll("meta").then(function (rows) {
      var meta = rows.filter(function (r) { return r.name === "families"; })[0];
      var fresh = meta && meta.user === user && Date.now() - meta.read_at < 5 * 60 * 1000;
      if (fresh && !force) { return null; }
      return readData().then(storeFamilies);
    })["catch"](function () {});
  }

  function families() {
    return Promise.all([getAll("families"), getAll("meta")]).then(function (both) {
      var meta = both[1].filter(function (r) { return r.name === "families"; })[0];
      if (!meta || meta.user !== user) { return []; }
      return both[0].sort(function (a, b) { return a.name.localeCompare(b.name, "pl"); });
    });
  }

  // --- the queue: save on the phone, send once the connection returns -----------------------------------------
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function payloadOf(form) {
    var data = new FormData(form);
    var payload = { areas: data.getAll("areas") };
    ["family_id", "visit_date", "start_time", "duration_minutes", "place", "form", "activities", "agreed_next"]
      .forEach(function (name) { payload[name] = (data.get(name) || "").toString(); });
    return payload;
  }

  function problemsOf(payload) {
    var problems = [];
    if (!payload.family_id) { problems.push(msg("Family")); }
    if (!payload.visit_date) { problems.push(msg("Date")); }
    var minutes = parseInt(payload.duration_minutes, 10);
    if (!payload.duration_minutes) { problems.push(msg("Duration")); }
    else if (!(minutes >= 1 && minutes <= 720) || String(minutes) !== payload.duration_minutes.trim()) {
      problems.push(msg("Range"));
    }
    return problems;
  }

  function enqueue(payload, label) {
    return put("queue", { key: newKey(), user: user, created: new Date().toISOString(), state: "waiting",
                          label: label, payload: payload, errors: [] });
  }

  function refusal(response) {
    var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (response.status === 404) { return Promise.resolve([{ message: msg("FamilyGone") }]); }
    if (!json) { return Promise.resolve(null); } // not an answer about the visit (an expired session): try later
    return response.json().then(function (body) {
      return body.errors && body.errors.length ? body.errors : [{ message: msg("Failed") }];
    });
  }

  function sendOne(item, token) {
    var body = Object.assign({ key: item.key }, item.payload);
    return fetch(config.dataset.send, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return remove("queue", item.key).then(function () { return "sent"; });
      }
      if (response.status >= 500) { return "later"; }
      return refusal(response).then(function (errors) {
        if (!errors) { return "later"; }
        item.state = "refused";
        item.errors = errors;
        return put("queue", item).then(function () { return "refused"; });
      });
    });
  }

  function sync() {
    if (!canLog || !navigator.onLine) { return Promise.resolve(); }
    if (syncing) { return syncing; }
    syncing = myQueue().then(function (items) {
      var waiting = items.filter(function (i) { return i.state !== "refused"; });
      if (!waiting.length) { return null; }
      showStatus(msg("Sending"));
      return readData().then(function (data) {
        var sent = 0;
        var chain = storeFamilies(data);
        waiting.forEach(function (item) {
          chain = chain.then(function (outcome) {
            if (outcome === "later") { return "later"; }
            return sendOne(item, data.csrf_token).then(function (result) {
              if (result === "sent") { sent += 1; }
              return result;
            });
          });
        });
        return chain.then(function () { return sent ? msg("Sent", sent) : null; });
      });
    })["catch"](function () { return null; }).then(function (note) {
      syncing = null;
      return showStatus(note);
    });
    return syncing;
  }

  // --- the forms: the visit form online (queues when the connection is gone) and the offline page -------------
  function showMessage(form, messages, kind) {
    var box = document.getElementById("offline-message");
    if (!box) {
      box = document.createElement("div");
      box.id = "offline-message";
      box.className = "offline-message";
      box.setAttribute("role", "alert");
      form.parentNode.insertBefore(box, form);
    }
    box.className = "offline-message " + (kind === "error" ? "error-box" : "flash flash-success");
    box.innerHTML = "";
    var list = document.createElement("ul");
    messages.forEach(function (m) {
      var li = document.createElement("li");
      li.textContent = m;
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  function labelOf(form, familyId) {
    var select = form.querySelector("select[name=family_id]");
    var option = select && select.querySelector("option[value='" + familyId + "']");
    return option ? option.textContent : "";
  }

  function clearTyped(form) {
    form.querySelectorAll("textarea, input[name=start_time], input[name=duration_minutes]").forEach(function (el) {
      el.value = "";
    });
    form.querySelectorAll("input[type=checkbox]").forEach(function (el) { el.checked = false; });
    var select = form.querySelector("select[name=family_id]");
    if (select) { select.value = ""; }
  }

  function queueFromForm(form) {
    var payload = payloadOf(form);
    var problems = problemsOf(payload);
    if (problems.length) {
      showMessage(form, problems, "error");
      return Promise.resolve(false);
    }
    return enqueue(payload, labelOf(form, payload.family_id)).then(function () {
      clearTyped(form);
      form.dispatchEvent(new CustomEvent("offline-queued", { bubbles: true }));
      showMessage(form, [msg("Saved")], "ok");
      return showStatus().then(sync).then(function () { return true; });
    });
  }

  function fillFamilies(select, chosen) {
    return families().then(function (list) {
      var first = select.querySelector("option[value='']");
      select.innerHTML = "";
      if (first) { select.appendChild(first); }
      list.forEach(function (f) {
        var option = document.createElement("option");
        option.value = String(f.id);
        option.textContent = f.name + " (" + f.case_number + ")" + (f.address ? ", " + f.address : "");
        select.appendChild(option);
      });
      select.value = list.some(function (f) { return String(f.id) === chosen; }) ? chosen : "";
      return list;
    });
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function renderQueue(items) {
    var list = document.getElementById("offline-queue-list");
    if (!list) { return; }
    document.getElementById("offline-queue-empty").hidden = items.length > 0;
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "panel" + (item.state === "refused" ? " refused" : "");
      var title = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = item.label || "";
      title.appendChild(strong);
      title.appendChild(document.createTextNode(" · " + item.payload.visit_date + " · " +
        list.dataset.minutes.replace("{n}", item.payload.duration_minutes)));
      li.appendChild(title);
      var state = document.createElement("p");
      state.textContent = item.state === "refused" ? list.dataset.refused : list.dataset.waiting;
      li.appendChild(state);
      if (item.state === "refused") {
        var reasons = document.createElement("ul");
        item.errors.forEach(function (e) {
          var r = document.createElement("li");
          r.textContent = e.message + " ";
          if (e.url) {
            var a = document.createElement("a");
            a.href = e.url;
            a.textContent = e.link_text || e.url;
            r.appendChild(a);
          }
          reasons.appendChild(r);
        });
        li.appendChild(reasons);
      }
      var actions = document.createElement("p");
      actions.className = "card-actions";
      function button(text, handler) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "button";
        b.textContent = text;
        b.addEventListener("click", handler);
        actions.appendChild(b);
      }
      if (item.state === "refused") {
        button(list.dataset.retry, function () {
          item.state = "waiting";
          item.errors = [];
          put("queue", item).then(showStatus).then(sync);
        });
        button(list.dataset.edit, function () { editInForm(item); });
      }
      button(list.dataset["delete"], function () {
        if (window.confirm(list.dataset.confirmDelete)) { remove("queue", item.key).then(function () { return showStatus(); }); }
      });
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  function editInForm(item) {
    var form = document.getElementById("offline-visit-form");
    var p = item.payload;
    Object.keys(p).forEach(function (name) {
      if (name === "areas") { return; }
      var el = form.elements[name];
      if (el) { el.value = p[name]; }
    });
    form.querySelectorAll("input[name=areas]").forEach(function (box) { box.checked = p.areas.indexOf(box.value) >= 0; });
    remove("queue", item.key).then(function () { return showStatus(); }).then(function () {
      form.querySelector("select, input, textarea").focus();
    });
  }

  function setUpShell() {
    var form = document.getElementById("offline-visit-form");
    if (!form) { return; }
    var shellPath = new URL(config.dataset.shell, location.href).pathname;
    document.getElementById("offline-elsewhere").hidden = location.pathname === shellPath || navigator.onLine;
    var chosen = new URLSearchParams(location.search).get("family_id") || "";
    var select = form.querySelector("select[name=family_id]");
    if (!form.elements.visit_date.value) { form.elements.visit_date.value = today(); }
    document.addEventListener("offline-queue-changed", function (event) { renderQueue(event.detail); });
    var ready = refreshFamilies(true).then(function () { return fillFamilies(select, chosen); }).then(function (list) {
      if (!list.length) { showMessage(form, [msg("NoFamilies")], "error"); }
      form.dataset.ready = "true";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      ready.then(function () { return queueFromForm(form); });
    });
  }

  function setUpOnlineForm() {
    var form = document.querySelector("form[data-offline-form=form]");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; } // online: the form posts as always
      event.preventDefault();
      queueFromForm(form);
    });
  }

  function setUpLogout() {
    document.querySelectorAll("form").forEach(function (form) {
      if (new URL(form.action, location.href).pathname !== new URL(config.dataset.logout, location.href).pathname) {
        return;
      }
      form.addEventListener("submit", function (event) {
        if (form.dataset.forgotten) { return; }
        event.preventDefault();
        myQueue()["catch"](function () { return []; }).then(function (items) {
          if (items.length && !window.confirm(msg("Logout", items.length))) { return; }
          forgetAll().then(function () {
            form.dataset.forgotten = "true";
            form.submit();
          });
        });
      });
    });
  }

  // --- start -------------------------------------------------------------------------------------------------
  if (!window.indexedDB) { return; }
  if (!user) {
    // nobody logged in (after logout, an expired session): the family list and the shell go; unsent visits stay
    // for their author to send after logging in (and go at the next logout)
    dropCaches();
    var held = indexedDB.databases ? indexedDB.databases().then(function (list) {
      return list.some(function (d) { return d.name === DB_NAME; });
    }) : Promise.resolve(true);
    held.then(function (yes) {
      if (!yes) { return null; } // nothing kept: nothing to open (opening would create the database)
      return forgetFamilies().then(function () { return getAll("queue"); }).then(function (items) {
        return items.length ? showStatus() : null;
      });
    })["catch"](function () {});
    return;
  }
  setUpLogout();
  if (!canLog) { showStatus(); return; }
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(config.dataset.worker, { scope: "/" })["catch"](function () {});
  }
  setUpShell();
  setUpOnlineForm();
  refreshFamilies(false).then(showStatus).then(sync);
  window.addEventListener("online", function () { showStatus().then(sync); });
  window.addEventListener("offline", function () { showStatus(); });
}());
