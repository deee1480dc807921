/* Soundoff live updates: new, edited and removed comments and the count,
 * without a reload. No framework, no inline script (CSP: script-src 'self').
 *
 * Any element with data-live-url subscribes (the post page's discussion
 * section; the embed can do the same). It holds:
 *   data-live-url        the stream, with ?version=<the thread version shown>
 *   data-live-port       (optional) the port of this host that serves it,
 *                        when streams have a process of their own
 *   data-live-place      where a new top-level comment goes: "end" (oldest
 *                        first, last page), "start" (newest first, first
 *                        page) or "link" (elsewhere: a link to it instead)
 *   data-reply-url, data-report-url, data-permalink-url   URL patterns with 0
 *                        in place of the comment id
 * and may hold template[data-reaction-template], a signed-in reader's
 * reaction buttons for comment 0 (see reactions.js),
 * and contains #soundoff-heading (data-live-version), ol.comments and an
 * element [data-live-status] carrying the translated notes.
 *
 * Everything works without this script; it only saves the reload. Events
 * carry the thread version their state was read at, and anything older
 * than what the page shows is ignored, so the page ends as a reload would.
 */
(function () {
  "use strict";

  var MAX_RETRY_MS = 5 * 60 * 1000;

  // The stream's URL on the port data-live-port names, if any.
  function onLivePort(root, url) {
    var port = root.getAttribute("data-live-port");
    if (!port) return url;
    return location.protocol + "//" + location.hostname + ":" + port + url;
  }

  function LiveThread(root) {
    this.root = root;
    this.url = onLivePort(root, root.getAttribute("data-live-url"));
    this.list = root.querySelector("ol.comments");
    this.heading = root.querySelector("#soundoff-heading");
    this.status = root.querySelector("[data-live-status]");
    this.place = root.getAttribute("data-live-place") || "link";
    this.signedIn = !!document.querySelector(".masthead__me");
    this.lastEventId = "";
    this.retryMs = 15000;
    this.stalled = null;
    this.waiting = [];
    this.newButton = null;
    this.connect();
  }

  LiveThread.prototype.connect = function () {
    var self = this;
    var url = this.url;
    if (this.lastEventId) {
      // A fresh EventSource can't send Last-Event-ID; the stream also reads it here.
      url += (url.indexOf("?") < 0 ? "?" : "&") + "last=" + encodeURIComponent(this.lastEventId);
    }
    var source = new EventSource(url);
    this.source = source;
    source.addEventListener("open", function () {
      self.retryMs = 15000;
      clearTimeout(self.stalled);
      self.say("");
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (429, 503, a server without streams): try again later, politely.
        self.paused();
        setTimeout(function () { self.connect(); }, self.retryMs);
        self.retryMs = Math.min(self.retryMs * 2, MAX_RETRY_MS);
        return;
      }
      // Reconnecting by itself; say so only if it takes a while.
      clearTimeout(self.stalled);
      self.stalled = setTimeout(function () {
        if (source.readyState !== EventSource.OPEN) self.paused();
      }, 10000);
    });
    source.addEventListener("comment", function (event) {
      self.remember(event);
      self.comment(JSON.parse(event.data));
    });
    source.addEventListener("count", function (event) {
      self.remember(event);
      self.count(JSON.parse(event.data));
    });
    source.addEventListener("unavailable", function () {
      // This server runs pages only: no stream will come.
      source.close();
      self.paused();
    });
    source.addEventListener("stale", function () {
      self.say(self.status && self.status.getAttribute("data-stale"), true);
    });
  };

  LiveThread.prototype.remember = function (event) {
    if (event.lastEventId) this.lastEventId = event.lastEventId;
  };

  LiveThread.prototype.paused = function () {
    this.say(this.status && this.status.getAttribute("data-paused"));
  };

  LiveThread.prototype.say = function (text, withReload) {
    if (!this.status) return;
    this.status.textContent = text || "";
    this.status.hidden = !text;
    if (text && withReload) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = this.status.getAttribute("data-reload") || "Reload";
      button.addEventListener("click", function () { window.location.reload(); });
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(button);
    }
  };

  LiveThread.prototype.count = function (data) {
    if (!this.heading) return;
    var shown = parseInt(this.heading.getAttribute("data-live-version") || "0", 10);
    if (data.version < shown) return;
    this.heading.setAttribute("data-live-version", String(data.version));
    if (this.heading.textContent !== data.text) this.heading.textContent = data.text;
  };

  LiveThread.prototype.comment = function (data) {
    var existing = document.getElementById("comment-" + data.id);
    if (existing && !this.isNewer(existing, data.version)) return;
    if (data.change === "removed") {
      this.remove(existing, data);
      return;
    }
    var fresh = this.element(data);
    if (!fresh) return;
    if (existing) {
      this.replace(existing, fresh);
    } else {
      this.insert(fresh, data);
    }
  };

  LiveThread.prototype.isNewer = function (element, version) {
    var shown = parseInt(element.getAttribute("data-live-version") || "0", 10);
    return version >= shown;
  };

  LiveThread.prototype.element = function (data) {
    if (!data.html) return null;
    var template = document.createElement("template");
    template.innerHTML = data.html;
    var element = template.content.firstElementChild;
    if (!element) return null;
    element.setAttribute("data-live-version", String(data.version));
    this.addActions(element, data.id);
    this.addReactions(element, data.id);
    return element;
  };

  // The partial is rendered for nobody in particular; a signed-in reader
  // gets the links every comment has for them (their own comments arrive
  // with the page they are sent back to after posting).
  LiveThread.prototype.addActions = function (element, id) {
    var card = element.querySelector(".comment__card");
    if (!this.signedIn || !card || card.querySelector(".comment__actions")) return;
    var nav = document.createElement("nav");
    nav.className = "comment__actions";
    // Named after the comment's author, as the server-rendered ones are, so
    // that no two navigation landmarks of the page share a name.
    var author = card.querySelector(".comment__author");
    nav.setAttribute(
      "aria-label",
      (this.root.getAttribute("data-actions-label") || "").replace(
        "%(author)s",
        author ? author.textContent : ""
      )
    );
    [["data-reply-url", "data-reply-label"], ["data-report-url", "data-report-label"]].forEach(
      function (pair) {
        var pattern = this.root.getAttribute(pair[0]);
        if (!pattern) return;
        var link = document.createElement("a");
        link.href = this.url_for(pattern, id);
        link.textContent = this.root.getAttribute(pair[1]) || "";
        nav.appendChild(link);
      },
      this
    );
    card.appendChild(nav);
  };

  LiveThread.prototype.url_for = function (pattern, id) {
    return pattern.replace("/0/", "/" + id + "/");
  };

  // The partial has the reaction count only. A signed-in reader gets the
  // buttons: kept from the page, with what they pressed, when a comment they
  // saw changes; from the page's template (none when they may not react) for
  // a new one.
  LiveThread.prototype.addReactions = function (fresh, id) {
    var card = fresh.querySelector(".comment__card");
    if (!card) return;
    var existing = document.getElementById("comment-" + id);
    var kept = existing && existing.querySelector(".comment__card .reactions");
    var group = kept && kept.querySelector("form") ? kept : this.reactionButtons(id);
    if (!group) return;
    var counted = card.querySelector(".reactions");
    var freshCount = counted && counted.querySelector("[data-reaction-count]");
    var count = group.querySelector("[data-reaction-count]");
    if (count) count.textContent = freshCount ? freshCount.textContent : "";
    if (counted) {
      counted.replaceWith(group);
    } else {
      var body = card.querySelector(".comment__body");
      if (body) body.after(group);
    }
  };

  LiveThread.prototype.reactionButtons = function (id) {
    var template = this.root.querySelector("template[data-reaction-template]");
    var group = template && template.content.firstElementChild;
    if (!group) return null;
    group = group.cloneNode(true);
    Array.prototype.forEach.call(
      group.querySelectorAll("form"),
      function (form) { form.setAttribute("action", this.url_for(form.getAttribute("action"), id)); },
      this
    );
    return group;
  };

  LiveThread.prototype.repliesOf = function (element) {
    for (var i = 0; i < element.children.length; i++) {
      var child = element.children[i];
      if (child.tagName === "OL" && child.classList.contains("comments--replies")) return child;
    }
    return null;
  };

  LiveThread.prototype.replace = function (existing, fresh) {
    var replies = this.repliesOf(existing);
    var stale = this.repliesOf(fresh);
    if (replies) {
      if (stale) stale.remove();
      fresh.appendChild(replies);
    }
    existing.replaceWith(fresh);
  };

  LiveThread.prototype.remove = function (existing, data) {
    if (!existing) return;
    var replies = this.repliesOf(existing);
    var placeholder = data.html && replies && replies.children.length ? this.element(data) : null;
    if (placeholder) {
      this.replace(existing, placeholder);
    } else {
      existing.remove();
    }
  };

  LiveThread.prototype.insert = function (fresh, data) {
    if (data.parent) {
      var parent = document.getElementById("comment-" + data.parent);
      if (!parent) return; // Its conversation is on another page.
      var replies = this.repliesOf(parent);
      if (!replies) {
        replies = document.createElement("ol");
        replies.className = "comments comments--replies";
        parent.appendChild(replies);
      }
      replies.appendChild(fresh);
      return;
    }
    if (this.place === "end" && this.list) {
      this.list.appendChild(fresh);
      return;
    }
    if (this.place === "start" && this.list) {
      this.list.insertBefore(fresh, this.list.firstChild);
      return;
    }
    this.waiting.push(data.id);
    this.showNewButton();
  };

  // Readers on an earlier page aren't moved about: they get a link to
  // the newest comments instead.
  LiveThread.prototype.showNewButton = function () {
    if (!this.status) return;
    if (!this.newButton) {
      this.newButton = document.createElement("a");
      this.newButton.className = "discussion__new";
      this.status.parentNode.insertBefore(this.newButton, this.status);
    }
    var n = this.waiting.length;
    var text = this.status.getAttribute(n === 1 ? "data-new-one" : "data-new-many") || "";
    this.newButton.textContent = text.replace("%(n)s", String(n));
    var pattern = this.root.getAttribute("data-permalink-url");
    if (pattern) this.newButton.href = this.url_for(pattern, this.waiting[n - 1]);
  };

  function start() {
    if (typeof window.EventSource !== "function") return;
    var roots = document.querySelectorAll("[data-live-url]");
    Array.prototype.forEach.call(roots, function (root) { new LiveThread(root); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
