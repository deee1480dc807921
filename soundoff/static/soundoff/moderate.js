// Keyboard for the moderation queues: j/k move between items, a approves,
// r goes to the rule of the remove form, f features, s restores, u opens
// the reader's drawer, x toggles the item's selection. Plain forms do the
// work; this only moves focus, submits them and loads the drawer.
// After a decision the page comes back with focus on the item that
// followed the decided one, not on the first.
// The live queue: the moderation stream (moderators only) names changed
// comments by id; their items come from the moderator-only live view.
(function () {
  "use strict";
  var FOCUS_KEY = "soundoff:moderate:focus";
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".mod-item")); }
  function current() { return document.activeElement && document.activeElement.closest(".mod-item"); }
  function move(step) {
    var list = items(); if (!list.length) { return; }
    var index = list.indexOf(current());
    var next = list[Math.min(list.length - 1, Math.max(0, index + step))] || list[0];
    next.focus(); next.scrollIntoView({ block: "nearest" });
  }
  function submitBy(item, key) {
    // Submit through the button: the decision is its name and value,
    // which a submit without a submitter would leave out.
    var button = item.querySelector("form[data-key=" + key + "] button[name=decision]");
    if (button) { button.form.requestSubmit(button); return true; }
    return false;
  }
  function rememberNext(item) {
    var list = items(); var index = list.indexOf(item);
    var after = list[index + 1] || list[index - 1];
    try {
      sessionStorage.setItem(FOCUS_KEY, JSON.stringify({
        path: location.pathname, next: after ? after.id : "", index: index }));
    } catch (error) { /* storage off: focus goes to the first item */ }
  }
  function restoreFocus() {
    var list = items(); if (!list.length) { return; }
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null"); } catch (error) { saved = null; }
    try { sessionStorage.removeItem(FOCUS_KEY); } catch (error) { /* nothing kept */ }
    var target = list[0];
    if (saved && saved.path === location.pathname) {
      target = (saved.next && document.getElementById(saved.next)) ||
        list[Math.min(saved.index, list.length - 1)] || list[0];
    }
    target.focus();
  }

  var drawer = null;
  function openReader(item) {
    var link = item.querySelector(".mod-open-reader");
    if (!drawer || !item.dataset.reader) { if (link) { location.href = link.href; } return; }
    var url = item.dataset.reader + "?next=" + encodeURIComponent(location.pathname + location.search);
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      drawer.innerHTML = html;
      drawer.classList.add("desk-drawer--open");
      drawer.dataset.from = item.id;
      var title = drawer.querySelector(".drawer__title");
      if (title) { title.focus(); }
    }).catch(function () { if (link) { location.href = link.href; } });
  }
  function closeReader() {
    if (!drawer || !drawer.classList.contains("desk-drawer--open")) { return false; }
    drawer.classList.remove("desk-drawer--open");
    var from = drawer.dataset.from && document.getElementById(drawer.dataset.from);
    if (from) { from.focus(); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && closeReader()) { event.preventDefault(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (drawer && drawer.contains(event.target)) { return; }
    var item = current();
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (item && (event.key === "a" || event.key === "f" || event.key === "s")) {
      if (submitBy(item, event.key)) { event.preventDefault(); }
    } else if (item && event.key === "r") {
      var rule = item.querySelector("form[data-key=r] select");
      if (rule) { rule.focus(); event.preventDefault(); }
    } else if (item && event.key === "u") {
      openReader(item); event.preventDefault();
    } else if (item && event.key === "x") {
      var box = item.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; event.preventDefault(); }
    }
  });
  document.addEventListener("submit", function (event) {
    var item = event.target.closest && event.target.closest(".mod-item");
    if (item) { rememberNext(item); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest && target.closest(".drawer__close")) { closeReader(); return; }
    var link = target.closest && target.closest(".mod-open-reader");
    if (link && drawer) { event.preventDefault(); openReader(link.closest(".mod-item")); }
  });

  function updateCounts(counts) {
    Object.keys(counts).forEach(function (name) {
      var tab = document.querySelector(".mod-nav a[data-count='" + name + "']");
      if (tab) { tab.textContent = tab.dataset.label + " (" + counts[name] + ")"; }
    });
  }
  function place(queue, list, entry) {
    var holder = document.createElement("div");
    holder.innerHTML = entry.html;
    var fresh = holder.firstElementChild; if (!fresh) { return false; }
    var known = document.getElementById("item-" + entry.id);
    if (known) {
      // Never pull an item from under the moderator's focus or typing.
      if (known.contains(document.activeElement)) { return false; }
      known.replaceWith(fresh); return true;
    }
    if (queue.dataset.order === "oldest") { list.appendChild(fresh); }
    else { list.insertBefore(fresh, list.firstChild); }
    var empty = queue.querySelector(".empty"); if (empty) { empty.remove(); }
    return true;
  }
  function follow(queue) {
    var source = queue.dataset.live; var list = queue.querySelector(".mod-items");
    if (!source || !queue.dataset.stream || !list || !window.EventSource) { return; }
    var status = queue.querySelector(".mod-live");
    // On the streams' own port when they have one: another origin of this
    // host, which then needs the session cookie sent along.
    var port = queue.dataset.livePort;
    var events = port
      ? new EventSource(location.protocol + "//" + location.hostname + ":" + port + queue.dataset.stream,
                        { withCredentials: true })
      : new EventSource(queue.dataset.stream);
    // Served by a plain WSGI server: no live queue, and no retrying.
    events.addEventListener("unavailable", function () { events.close(); });
    events.addEventListener("queue", function (message) {
      var data = JSON.parse(message.data);
      var url = source + (source.indexOf("?") < 0 ? "?" : "&") + "ids=" + encodeURIComponent(data.comment);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) { return; }
          updateCounts(answer.counts);
          var changed = answer.items.filter(function (entry) { return place(queue, list, entry); });
          // Decided elsewhere (another moderator, a check): out of this queue.
          var gone = answer.items.length ? null : document.getElementById("item-" + data.comment);
          if (gone && !gone.contains(document.activeElement)) { gone.remove(); changed.push(gone); }
          if (changed.length && status) { status.textContent = queue.dataset.arrived; }
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawer = document.getElementById("reader-drawer");
    restoreFocus();
    var queue = document.querySelector(".desk-queue");
    if (queue) { follow(queue); }
  });
})();
