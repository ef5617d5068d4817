// Drafts: what the user typed into a form comes back when the save did not happen — after a validation error (also
// when the page redirects back with a message, e.g. a collapsed blue-card form), and on the "form has expired"
// page (templates/errors/error.html shows a link back to the form; the typed text is put back there).
//
// On submit the form's typed values (never passwords, files or hidden tokens) go to this tab's sessionStorage,
// keyed by the page and the form's address. On the next page:
//   - the expired page: a link back to the form appears; the draft waits for it;
//   - the same form with an error on the page, or reopened from the expired page: the empty fields get the draft's
//     values and a collapsed <details> around the form opens;
//   - anything else (the save succeeded): the draft is deleted.
// A form marked data-draft-replace (an editor showing stored text) gets the draft also in fields that are not empty.
// sessionStorage ends with the tab; logging out deletes the drafts too (static/js/offline.js).
(function () {
  "use strict";
  var PREFIX = "casework-draft:";
  var PENDING = "casework-draft-pending";
  var SKIP_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];
  var SKIP_NAMES = ["csrf_token", "once_token", "version", "next"];
  var storage;
  try { storage = window.sessionStorage; } catch (e) { return; }
  if (!storage) { return; }
  var config = document.querySelector("meta[name=casework-offline]");
  var user = config ? config.dataset.user : "";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && !el.hidden && !el.hasAttribute("data-once-token") &&
        SKIP_TYPES.indexOf(el.type) < 0 && SKIP_NAMES.indexOf(el.name) < 0 &&
        ["INPUT", "TEXTAREA", "SELECT"].indexOf(el.tagName) >= 0;
    });
  }

  function keyOf(form) {
    var action = new URL(form.getAttribute("action") || location.href, location.href).pathname;
    var same = Array.prototype.filter.call(document.forms, function (f) {
      return new URL(f.getAttribute("action") || location.href, location.href).pathname === action;
    });
    return PREFIX + location.pathname + "|" + action + "|" + same.indexOf(form);
  }

  function typed(form) {
    var values = {};
    var any = false;
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
        if (el.tagName === "TEXTAREA" || el.type === "text" || el.type === "search") { any = any || !!el.value.trim(); }
      }
    });
    return any ? values : null;
  }

  function read(key) {
    try { return JSON.parse(storage.getItem(key)); } catch (e) { return null; }
  }

  function forget(key) {
    storage.removeItem(key);
    var pending = read(PENDING);
    if (pending && pending.key === key) { storage.removeItem(PENDING); }
  }

  // overwrite: the form was opened afresh (back from the expired page), so every field shows its default; after a
  // validation error the page shows what was posted, and only the fields it left empty get the draft's values
  function restore(form, draft, overwrite) {
    overwrite = overwrite || form.hasAttribute("data-draft-replace");
    fields(form).forEach(function (el) {
      var value = draft.values[el.name];
      if (value === undefined) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (overwrite || !fields(form).some(function (o) { return o.name === el.name && o.checked; })) {
          el.checked = value.indexOf(el.value) >= 0;
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      } else if (overwrite || !el.value.trim()) {
        el.value = value;
      }
    });
    for (var parent = form.parentElement; parent; parent = parent.parentElement) {
      if (parent.tagName === "DETAILS") { parent.open = true; }
    }
  }

  var errorOnPage = !!document.querySelector(".error-box, .flash-error, .field-error, [aria-invalid=true]");
  var returnLink = document.querySelector("[data-draft-return]");
  var pending = read(PENDING);
  if (pending && pending.user !== user) { storage.removeItem(pending.key); storage.removeItem(PENDING); pending = null; }

  if (returnLink && pending) {
    // the expired page: the way back to the form, where the typed text comes back
    pending.failed = true;
    storage.setItem(PENDING, JSON.stringify(pending));
    var link = returnLink.querySelector("a");
    link.href = pending.url;
    returnLink.hidden = false;
  } else {
    var seen = {};
    Array.prototype.forEach.call(document.forms, function (form) {
      var key = keyOf(form);
      seen[key] = true;
      var draft = read(key);
      if (!draft) { return; }
      if (draft.user === user && pending && pending.key === key && (errorOnPage || pending.failed)) {
        restore(form, draft, !!pending.failed);
        if (pending && pending.key === key) { storage.removeItem(PENDING); }
      } else {
        forget(key);
      }
    });
    if (pending && !seen[pending.key] && !errorOnPage && !pending.failed) {
      forget(pending.key); // saved: the page after a successful save does not show the form
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post" ||
        form.hasAttribute("data-no-draft") || form.querySelector("input[type=password]")) { return; }
    var values = typed(form);
    if (!values) { return; }
    var key = keyOf(form);
    storage.setItem(key, JSON.stringify({ user: user, values: values }));
    storage.setItem(PENDING, JSON.stringify({ key: key, url: location.href, user: user }));
  });
}());
