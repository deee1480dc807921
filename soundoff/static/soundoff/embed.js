/* Soundoff: the discussion of this page, embedded by one tag.
 *
 *   <script async src="https://SOUNDOFF/embed.js"
 *           data-soundoff-page="CANONICAL-URL" data-soundoff-title="TITLE"></script>
 *
 * Plain JavaScript, no framework, and no request to anyone but Soundoff.
 * The widget lives in a shadow root, so the host page's styles don't leak
 * in and ours don't leak out; the host themes it with CSS custom
 * properties (--soundoff-font, --soundoff-accent, --soundoff-accent-text,
 * --soundoff-text, --soundoff-muted, --soundoff-background,
 * --soundoff-surface, --soundoff-border, --soundoff-radius), which cross the
 * shadow boundary by inheritance.
 *
 * Reader text: the API sends each comment's HTML already sanitised by the
 * server (`html`); that one field is inserted as HTML. Everything else,
 * names included, goes in as text.
 *
 * Signing in: a first-party popup on Soundoff's origin hands back a token
 * (see /embed/signin/ and embed-signin.js); it is accepted only from that
 * origin and that window, kept in memory and in this tab's sessionStorage,
 * and sent as a Bearer token. No cookie of Soundoff's is ever needed here.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;

  var BASE = new URL(script.src).origin;
  var API = BASE + "/api/v1";
  var TOKEN_KEY = "soundoff-token:" + BASE;
  var canonical = document.querySelector('link[rel="canonical"]');
  var PAGE = script.getAttribute("data-soundoff-page") || (canonical && canonical.href) || location.href;
  var TITLE = script.getAttribute("data-soundoff-title") || document.title;

  var T = {
    loading: "Loading the discussion…",
    sortBy: "Sort comments",
    sorts: [["oldest", "Oldest first"], ["newest", "Newest first"], ["reactions", "Most reactions"]],
    kinds: [["agree", "Agree"], ["insightful", "Insightful"], ["funny", "Funny"]],
    reactions: function (n) { return n === 1 ? "1 reaction" : n + " reactions"; },
    noComments: "No comments yet. Start the discussion.",
    loadMore: "Load more comments",
    moreReplies: function (n) { return n === 1 ? "Show 1 more reply" : "Show " + n + " more replies"; },
    moreRepliesPlain: "Show more replies",
    postAComment: "Post a comment",
    yourComment: "Your comment",
    post: "Post",
    replyTo: function (name) { return "Your reply to " + name; },
    postReply: "Post reply",
    reply: "Reply",
    edit: "Edit",
    editYours: "Edit your comment",
    save: "Save",
    cancel: "Cancel",
    del: "Delete",
    reallyDelete: "Yes, delete it",
    confirmDelete: "Delete your comment? This can't be undone.",
    report: "Report",
    whichRule: "Which rule does it break?",
    otherReason: "Something else (explain below)",
    explain: "Explanation (optional)",
    sendReport: "Send report",
    reported: "Thank you. A moderator will review this comment.",
    edited: "edited",
    featured: "Featured",
    held: "Awaiting review: only you can see this until a moderator approves it.",
    removed: "This comment was removed by a moderator.",
    deleted: "This comment was deleted by its author.",
    commentBy: function (name) { return "Comment by " + name; },
    signedInAs: "Signed in as ",
    signOut: "Sign out",
    signedOut: "You are signed out on this page.",
    logIn: "Log in",
    register: "Register",
    joinIn: "Log in or register to take part in the discussion.",
    signingIn: "Complete signing in in the window that opened.",
    popupBlocked: "Your browser blocked the sign-in window. Allow pop-ups for this page and try again.",
    welcome: function (name) { return "Signed in as " + name + "."; },
    expired: "Your sign-in has expired. Log in again to continue.",
    awaiting: "Before you comment, please read and accept:",
    version: function (v) { return " (version " + v + ")"; },
    accept: "I have read and accept these documents",
    accepted: "Thank you. You can comment now.",
    posted: "Your comment is posted.",
    heldPosted: "Your comment is held for review; it will appear once a moderator approves it.",
    saved: "Your changes are saved.",
    removedOwn: "Your comment is deleted.",
    empty: "Write something first.",
    closed: "The discussion is closed.",
    network: "Soundoff could not be reached. Check your connection and try again.",
    failed: "Something went wrong. Please try again.",
    notice: [
      "The discussion is welcome as long as it follows the ", ["Rules of Conduct", "/rules/"],
      ", which are part of the ", ["Terms of Service", "/terms/"],
      ". Comments are not pre-screened; moderators act afterwards. By posting, you let this site " +
      "use what you post together with your name and profile picture, as the ",
      ["Privacy Policy", "/privacy/"], " and the licence in the Terms of Service say."
    ]
  };

  var CSS = [
    ":host{all:initial;display:block;font-family:var(--soundoff-font,system-ui,-apple-system,'Segoe UI',sans-serif);",
    "font-size:1rem;line-height:1.5;color:var(--soundoff-text,#1a1a1a);background:var(--soundoff-background,transparent)}",
    "[hidden]{display:none!important}",
    "section{padding:.5rem 0}",
    "h2{font-size:1.35em;margin:0 0 .75rem;border-bottom:2px solid var(--soundoff-text,#1a1a1a);padding-bottom:.25rem}",
    "h3{font-size:1.1em;margin:1.5rem 0 .5rem}",
    "a{color:var(--soundoff-accent,#a4161a)}",
    "button{font:inherit;font-size:.9em;cursor:pointer;border:1px solid var(--soundoff-border,#c8c8c8);",
    "background:var(--soundoff-surface,#f5f3ef);color:inherit;border-radius:var(--soundoff-radius,4px);padding:.2rem .6rem}",
    "button:disabled{opacity:.6;cursor:default}",
    "button.primary{background:var(--soundoff-accent,#a4161a);border-color:var(--soundoff-accent,#a4161a);",
    "color:var(--soundoff-accent-text,#fff);padding:.4rem 1rem}",
    "button[aria-pressed=true]{background:var(--soundoff-accent,#a4161a);color:var(--soundoff-accent-text,#fff)}",
    ":focus-visible{outline:3px solid var(--soundoff-accent,#a4161a);outline-offset:2px}",
    ".status{min-height:1.5em;margin:.25rem 0;color:var(--soundoff-muted,#5c5c5c);font-size:.9em}",
    ".refusal,.error{color:#8b0000;background:#fbeeee;border-left:4px solid #8b0000;padding:.5rem .75rem;margin:.5rem 0}",
    ".tools,.row,.actions,.account{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.4rem 0}",
    ".tools span{font-size:.9em;color:var(--soundoff-muted,#5c5c5c)}",
    "ol{list-style:none;margin:0;padding:0}",
    "ol.replies{margin-left:1.25rem;padding-left:.9rem;border-left:2px solid var(--soundoff-border,#d9d9d9)}",
    "li.comment{margin:1rem 0}",
    ".head{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;font-size:.9em}",
    ".head img{width:36px;height:36px;border-radius:50%;object-fit:cover;background:var(--soundoff-surface,#f5f3ef)}",
    ".author{font-weight:700}",
    ".head a,.meta{color:var(--soundoff-muted,#5c5c5c)}",
    ".badge{font-size:.8em;border:1px solid currentColor;border-radius:3px;padding:0 .3rem}",
    ".text{overflow-wrap:anywhere}.text p{margin:.4rem 0}",
    ".text blockquote{margin:.4rem 0;padding-left:.75rem;border-left:3px solid var(--soundoff-border,#d9d9d9)}",
    ".gone,.meta,.held{font-style:italic;color:var(--soundoff-muted,#5c5c5c)}",
    ".count-r{font-size:.85em;color:var(--soundoff-muted,#5c5c5c)}",
    "form,.policies,.confirm{display:grid;gap:.4rem;margin:.5rem 0}",
    ".policies{padding:.75rem;background:var(--soundoff-surface,#f5f3ef);border-radius:var(--soundoff-radius,4px)}",
    ".policies ul{margin:0;padding-left:1.2rem}",
    "label{font-weight:600;font-size:.95em}",
    "textarea,select,input{font:inherit;color:inherit;background:var(--soundoff-background,#fff);",
    "border:1px solid var(--soundoff-border,#c8c8c8);border-radius:var(--soundoff-radius,4px);padding:.4rem;box-sizing:border-box;width:100%}",
    "textarea{min-height:6em;resize:vertical}",
    ".notice{font-size:.85em;color:var(--soundoff-muted,#5c5c5c)}"
  ].join("");

  var state = {
    token: null,
    me: null,
    thread: null,
    sort: "oldest",
    cursor: null,
    mine: emptyMine(),
    rules: null,
    popup: null
  };
  var views = new Map();
  var serial = 0;

  function emptyMine() {
    return { editable: [], deletable: [], reactions: {}, sources: {} };
  }

  /* --- the DOM, built from text only ------------------------------------ */

  function h(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || value === false) return;
      if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  function add(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { add(node, c); });
    else node.append(child); // a string becomes a text node, never markup
  }

  function uid() {
    serial += 1;
    return "so-" + serial;
  }

  function absolute(path) {
    return new URL(path, BASE).href;
  }

  function when(iso) {
    try {
      return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
    } catch (e) {
      return iso;
    }
  }

  function uuid() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  /* --- talking to Soundoff ---------------------------------------------- */

  function Problem(code, detail, status) {
    this.code = code;
    this.detail = detail;
    this.status = status || 0;
  }

  function api(method, path, body, extraHeaders) {
    var headers = extraHeaders || {};
    if (state.token && (method !== "GET" || /^\/me|\/mine$/.test(path))) {
      headers.Authorization = "Bearer " + state.token;
    }
    var init = { method: method, headers: headers, credentials: "omit", mode: "cors" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(
      function (response) {
        if (response.status === 204) return { status: 204, data: null };
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.ok) return { status: response.status, data: data };
          if (response.status === 401 && state.token) {
            forgetToken();
            renderAccount();
            throw new Problem("expired", T.expired, 401);
          }
          throw new Problem((data && data.error) || "error", (data && data.detail) || T.failed, response.status);
        });
      },
      function () { throw new Problem("network", T.network); }
    );
  }

  function storeToken(token) {
    state.token = token;
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* storage blocked: memory only */ }
  }

  function forgetToken() {
    state.token = null;
    state.me = null;
    state.mine = emptyMine();
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* nothing stored */ }
  }

  /* --- the frame of the widget ------------------------------------------ */

  var host = document.getElementById(script.getAttribute("data-soundoff-target") || "soundoff-thread");
  if (!host) {
    host = h("div", { "class": "soundoff" });
    if (script.parentNode && script.parentNode !== document.head) script.after(host);
    else (document.body || document.documentElement).append(host);
  }
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    // A constructed sheet is not an inline <style>, so a strict style-src on the host page allows it.
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h("style", {}, CSS));
  }

  var ui = {};
  ui.count = h("h2", { id: "so-count" }, "soundoff");
  ui.status = h("p", { "class": "status", role: "status", "aria-live": "polite" }, T.loading);
  ui.refusal = h("p", { "class": "refusal", role: "alert", hidden: true });
  ui.sorts = T.sorts.map(function (pair) {
    return h("button", { type: "button", "aria-pressed": String(pair[0] === state.sort), onclick: function () { sortBy(pair[0]); } }, pair[1]);
  });
  ui.list = h("ol", { "class": "comments", "aria-labelledby": "so-count" });
  ui.empty = h("p", { "class": "meta", hidden: true }, T.noComments);
  ui.more = h("button", { type: "button", hidden: true, onclick: loadMore }, T.loadMore);
  ui.account = h("div", { "class": "account" });
  ui.policies = h("div", { "class": "policies", hidden: true });
  ui.closed = h("p", { "class": "meta", hidden: true }, T.closed);
  ui.compose = textForm({
    label: T.yourComment,
    submit: T.post,
    onSubmit: function (text) { return postComment(text, null); }
  });
  ui.body = h("div", { hidden: true },
    h("div", { "class": "tools", role: "group", "aria-label": T.sortBy }, h("span", {}, T.sortBy + ":"), ui.sorts),
    ui.list, ui.empty, ui.more,
    h("h3", {}, T.postAComment),
    ui.account, ui.policies, ui.closed, ui.compose.form,
    h("p", { "class": "notice" }, T.notice.map(function (part) {
      return typeof part === "string" ? part : h("a", { href: absolute(part[1]), target: "_blank", rel: "noopener" }, part[0]);
    }))
  );
  root.append(h("section", { "aria-labelledby": "so-count" }, ui.count, ui.status, ui.refusal, ui.body));

  function say(text) {
    ui.status.textContent = "";
    // A fresh text node after a tick, so that the same message is announced again.
    setTimeout(function () { ui.status.textContent = text; }, 30);
  }

  function showError(node, text) {
    node.textContent = text;
    node.hidden = false;
  }

  /* --- forms --------------------------------------------------------------- */

  function textForm(options) {
    var id = uid();
    var errorId = uid();
    var textarea = h("textarea", { id: id, name: "body", rows: "4", "aria-describedby": errorId });
    textarea.value = options.initial || "";
    var error = h("p", { "class": "error", id: errorId, role: "alert", hidden: true });
    var submit = h("button", { type: "submit", "class": "primary" }, options.submit);
    var form = h("form", { novalidate: true },
      h("label", { "for": id }, options.label), textarea, error,
      h("div", { "class": "row" }, submit, options.onCancel && h("button", { type: "button", onclick: options.onCancel }, T.cancel))
    );
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!textarea.value.trim()) {
        showError(error, T.empty);
        textarea.focus();
        return;
      }
      error.hidden = true;
      submit.disabled = true;
      // What the reader typed stays in the box until the server has it.
      new Promise(function (resolve) { resolve(options.onSubmit(textarea.value)); }).then(
        function () { submit.disabled = false; },
        function (problem) {
          submit.disabled = false;
          showError(error, problem.detail || T.failed);
          if (problem.code === "policies_not_accepted") loadMe();
        }
      );
    });
    return { form: form, textarea: textarea, error: error };
  }

  function requireReader() {
    if (!state.token) throw new Problem("not_signed_in", T.joinIn);
  }

  /* --- the reader --------------------------------------------------------- */

  function renderAccount() {
    ui.account.textContent = "";
    if (state.me && state.me.authenticated) {
      add(ui.account, [
        h("span", {}, T.signedInAs, h("strong", {}, state.me.reader.display_name)),
        h("button", { type: "button", onclick: signOut }, T.signOut)
      ]);
    } else {
      add(ui.account, [
        h("span", {}, T.joinIn),
        h("button", { type: "button", "class": "primary", onclick: function () { openSignin(""); } }, T.logIn),
        h("button", { type: "button", onclick: function () { openSignin("register"); } }, T.register)
      ]);
    }
    renderPolicies();
  }

  function renderPolicies() {
    var awaiting = (state.me && state.me.authenticated && state.me.policies_awaiting) || [];
    ui.policies.textContent = "";
    ui.policies.hidden = awaiting.length === 0;
    if (!awaiting.length) return;
    var error = h("p", { "class": "error", role: "alert", hidden: true });
    var button = h("button", { type: "button", "class": "primary" }, T.accept);
    button.addEventListener("click", function () {
      button.disabled = true;
      api("POST", "/me/policies", { documents: awaiting.map(function (d) { return d.id; }) }).then(
        function (result) {
          state.me = result.data;
          renderAccount();
          say(T.accepted);
          ui.compose.textarea.focus();
        },
        function (problem) {
          button.disabled = false;
          showError(error, problem.detail);
        }
      );
    });
    add(ui.policies, [
      h("p", {}, T.awaiting),
      h("ul", {}, awaiting.map(function (doc) {
        return h("li", {},
          h("a", { href: absolute(doc.url), target: "_blank", rel: "noopener" }, doc.title),
          T.version(doc.version),
          doc.summary_of_changes ? " — " + doc.summary_of_changes : "");
      })),
      h("div", { "class": "row" }, button),
      error
    ]);
  }

  function loadMe() {
    if (!state.token) {
      state.me = null;
      renderAccount();
      return Promise.resolve();
    }
    return api("GET", "/me").then(function (result) {
      state.me = result.data;
      if (!state.me.authenticated) forgetToken();
      renderAccount();
    }, function () { renderAccount(); });
  }

  function loadMine() {
    if (!state.token || !state.thread || !state.thread.id) {
      state.mine = emptyMine();
      return Promise.resolve();
    }
    return api("GET", "/threads/" + state.thread.id + "/mine").then(
      function (result) { state.mine = result.data; },
      function () { state.mine = emptyMine(); }
    );
  }

  function openSignin(action) {
    var query = new URLSearchParams({ origin: location.origin });
    if (action) query.set("action", action);
    var left = Math.max(0, (window.screenX || 0) + (window.outerWidth - 520) / 2);
    var top = Math.max(0, (window.screenY || 0) + (window.outerHeight - 680) / 2);
    state.popup = window.open(BASE + "/embed/signin/?" + query, "soundoff-signin",
      "popup,width=520,height=680,left=" + left + ",top=" + top);
    say(state.popup ? T.signingIn : T.popupBlocked);
  }

  window.addEventListener("message", function (event) {
    // Only Soundoff's own popup, on Soundoff's origin, can sign the reader in.
    if (event.origin !== BASE || !state.popup || event.source !== state.popup) return;
    var data = event.data;
    if (!data || data.type !== "soundoff:token" || typeof data.token !== "string") return;
    state.popup = null;
    storeToken(data.token);
    Promise.all([loadMe(), loadMine()]).then(function () {
      refreshAll();
      if (state.me && state.me.authenticated) say(T.welcome(state.me.reader.display_name));
      var accept = ui.policies.querySelector("button");
      (accept || ui.compose.textarea).focus();
    });
  });

  function signOut() {
    forgetToken();
    renderAccount();
    refreshAll();
    say(T.signedOut);
  }

  /* --- the thread --------------------------------------------------------- */

  function renderCount() {
    ui.count.textContent = "soundoff (" + state.thread.count_text + ")";
    var open = state.thread.is_open;
    ui.closed.hidden = open;
    ui.compose.form.hidden = !open;
  }

  function refreshThread() {
    var path = state.thread.id ? "/threads/" + state.thread.id : "/threads?url=" + encodeURIComponent(PAGE);
    return api("GET", path).then(function (result) {
      state.thread = result.data;
      renderCount();
    }, function () { /* the count stays as it was */ });
  }

  function sortBy(sort) {
    state.sort = sort;
    ui.sorts.forEach(function (button, i) { button.setAttribute("aria-pressed", String(T.sorts[i][0] === sort)); });
    loadPage(null);
  }

  function loadMore() {
    loadPage(state.cursor);
  }

  function loadPage(cursor) {
    if (!state.thread.id) {
      ui.empty.hidden = false;
      return Promise.resolve();
    }
    var query = new URLSearchParams({ sort: state.sort, limit: "20" });
    if (cursor) query.set("cursor", cursor);
    ui.more.disabled = true;
    return api("GET", "/threads/" + state.thread.id + "/comments?" + query).then(
      function (result) {
        if (!cursor) {
          ui.list.textContent = "";
          views.clear();
        }
        result.data.items.forEach(function (c) { ui.list.append(commentItem(c)); });
        state.cursor = result.data.next_cursor;
        ui.more.hidden = !state.cursor;
        ui.more.disabled = false;
        ui.empty.hidden = ui.list.children.length > 0;
        if (cursor) say(result.data.items.length + " more comments shown.");
      },
      function (problem) {
        ui.more.disabled = false;
        say(problem.detail);
      }
    );
  }

  /* --- one comment -------------------------------------------------------- */

  function commentItem(c) {
    var view = {
      c: c,
      li: h("li", { "class": "comment", id: "so-c-" + c.id }),
      article: h("article", {}),
      slot: h("div", {}),
      replies: h("ol", { "class": "replies" }),
      more: h("button", { type: "button", hidden: true }),
      cursor: null
    };
    views.set(c.id, view);
    view.more.addEventListener("click", function () { moreReplies(view); });
    view.li.append(view.article, view.slot, view.replies, view.more);
    (c.replies || []).forEach(function (r) { view.replies.append(commentItem(r)); });
    if (c.more_replies > 0) {
      view.more.textContent = T.moreReplies(c.more_replies);
      view.more.hidden = false;
    }
    renderArticle(view);
    return view.li;
  }

  function refreshAll() {
    views.forEach(renderArticle);
  }

  function has(list, id) {
    return (list || []).indexOf(id) !== -1;
  }

  function renderArticle(view) {
    var c = view.c;
    var a = view.article;
    a.textContent = "";
    if (c.status === "removed" || c.status === "deleted") {
      a.removeAttribute("aria-label");
      a.append(h("p", { "class": "gone" }, c.status === "removed" ? T.removed : T.deleted));
      return;
    }
    var name = c.author ? c.author.display_name : "";
    a.setAttribute("aria-label", T.commentBy(name));
    var text = h("div", { "class": "text" });
    // The one place HTML is inserted: the server sanitised it (nh3) for exactly this.
    text.innerHTML = c.html;
    add(a, [
      h("div", { "class": "head" },
        c.author && h("img", { src: absolute(c.author.avatar_url), alt: "", width: "36", height: "36", loading: "lazy" }),
        h("span", { "class": "author" }, name),
        h("a", { href: absolute(c.url), target: "_blank", rel: "noopener" }, h("time", { datetime: c.created_at }, when(c.created_at))),
        c.edited_at && h("span", { "class": "meta" }, T.edited),
        c.featured && h("span", { "class": "badge" }, T.featured)
      ),
      c.status === "held" ? h("p", { "class": "held" }, T.held) : null,
      text,
      actions(view)
    ]);
  }

  function actions(view) {
    var c = view.c;
    var mine = state.mine;
    var pressed = mine.reactions[c.id] || [];
    var own = has(mine.deletable, c.id);
    var bar = h("div", { "class": "actions" });
    if (c.status === "visible") {
      T.kinds.forEach(function (pair) {
        bar.append(h("button", {
          type: "button",
          "aria-pressed": String(pressed.indexOf(pair[0]) !== -1),
          onclick: function () { react(view, pair[0]); }
        }, pair[1]));
      });
      bar.append(h("span", { "class": "count-r" }, T.reactions(c.reaction_count)));
      bar.append(h("button", { type: "button", onclick: function (e) { openReply(view, e.target); } }, T.reply));
    }
    if (has(mine.editable, c.id)) {
      bar.append(h("button", { type: "button", onclick: function (e) { openEdit(view, e.target); } }, T.edit));
    }
    if (own) {
      bar.append(h("button", { type: "button", onclick: function (e) { openDelete(view, e.target); } }, T.del));
    } else if (c.status === "visible") {
      bar.append(h("button", { type: "button", onclick: function (e) { openReport(view, e.target); } }, T.report));
    }
    return bar;
  }

  function focusAction(view, label) {
    var buttons = view.article.querySelectorAll(".actions button");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].textContent === label) return buttons[i].focus();
    }
  }

  function closeSlot(view, focusBack) {
    view.slot.textContent = "";
    if (focusBack && focusBack.isConnected) focusBack.focus();
  }

  function guarded() {
    if (state.token) return true;
    say(T.joinIn);
    var login = ui.account.querySelector("button");
    if (login) login.focus();
    return false;
  }

  function openReply(view, opener) {
    if (!guarded()) return;
    var form = textForm({
      label: T.replyTo(view.c.author ? view.c.author.display_name : ""),
      submit: T.postReply,
      onSubmit: function (text) {
        return postComment(text, view.c.id).then(function () { closeSlot(view, opener); });
      },
      onCancel: function () { closeSlot(view, opener); }
    });
    view.slot.textContent = "";
    view.slot.append(form.form);
    form.textarea.focus();
  }

  function openEdit(view, opener) {
    var c = view.c;
    var source = state.mine.sources && state.mine.sources[c.id];
    var form = textForm({
      label: T.editYours,
      submit: T.save,
      initial: source !== undefined ? source : view.article.querySelector(".text").innerText,
      onSubmit: function (text) {
        requireReader();
        return api("PATCH", "/comments/" + c.id, { body: text }).then(function (result) {
          Object.assign(c, result.data, { replies: [] });
          state.mine.sources[c.id] = text;
          closeSlot(view, null);
          renderArticle(view);
          say(T.saved);
          focusAction(view, T.edit);
        });
      },
      onCancel: function () { closeSlot(view, opener); }
    });
    view.slot.textContent = "";
    view.slot.append(form.form);
    form.textarea.focus();
  }

  function openDelete(view, opener) {
    var error = h("p", { "class": "error", role: "alert", hidden: true });
    var yes = h("button", { type: "button", "class": "primary" }, T.reallyDelete);
    yes.addEventListener("click", function () {
      yes.disabled = true;
      api("DELETE", "/comments/" + view.c.id).then(function () {
        view.c.status = "deleted";
        state.mine.deletable = state.mine.deletable.filter(function (id) { return id !== view.c.id; });
        state.mine.editable = state.mine.editable.filter(function (id) { return id !== view.c.id; });
        closeSlot(view, null);
        if (view.replies.children.length) renderArticle(view);
        else view.li.remove();
        refreshThread();
        say(T.removedOwn);
        ui.count.setAttribute("tabindex", "-1");
        ui.count.focus();
      }, function (problem) {
        yes.disabled = false;
        showError(error, problem.detail);
      });
    });
    view.slot.textContent = "";
    view.slot.append(h("div", { "class": "confirm", role: "group", "aria-label": T.confirmDelete },
      h("p", {}, T.confirmDelete),
      h("div", { "class": "row" }, yes, h("button", { type: "button", onclick: function () { closeSlot(view, opener); } }, T.cancel)),
      error));
    yes.focus();
  }

  function openReport(view, opener) {
    if (!guarded()) return;
    var rules = state.rules ? Promise.resolve(state.rules) : api("GET", "/rules").then(function (result) {
      state.rules = result.data;
      return state.rules;
    });
    rules.then(function (list) {
      var selectId = uid();
      var explainId = uid();
      var select = h("select", { id: selectId },
        list.map(function (rule) { return h("option", { value: String(rule.number) }, rule.number + ". " + rule.title); }),
        h("option", { value: "" }, T.otherReason));
      var explanation = h("input", { id: explainId, type: "text", maxlength: "500" });
      var error = h("p", { "class": "error", role: "alert", hidden: true });
      var send = h("button", { type: "submit", "class": "primary" }, T.sendReport);
      var form = h("form", { novalidate: true },
        h("label", { "for": selectId }, T.whichRule), select,
        h("label", { "for": explainId }, T.explain), explanation,
        error,
        h("div", { "class": "row" }, send, h("button", { type: "button", onclick: function () { closeSlot(view, opener); } }, T.cancel)));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        send.disabled = true;
        var payload = { rule: select.value ? Number(select.value) : null, explanation: explanation.value };
        api("POST", "/comments/" + view.c.id + "/flags", payload).then(function () {
          view.slot.textContent = "";
          view.slot.append(h("p", { "class": "meta" }, T.reported));
          say(T.reported);
          if (opener.isConnected) opener.focus();
        }, function (problem) {
          send.disabled = false;
          showError(error, problem.detail);
        });
      });
      view.slot.textContent = "";
      view.slot.append(form);
      select.focus();
    }, function (problem) { say(problem.detail); });
  }

  function react(view, kind) {
    if (!guarded()) return;
    var c = view.c;
    var on = (state.mine.reactions[c.id] || []).indexOf(kind) !== -1;
    var request = on ? api("DELETE", "/comments/" + c.id + "/reactions/" + kind) : api("POST", "/comments/" + c.id + "/reactions", { kind: kind });
    request.then(function (result) {
      c.reaction_count = result.data.reaction_count;
      state.mine.reactions[c.id] = result.data.mine;
      renderArticle(view);
      focusAction(view, T.kinds.filter(function (p) { return p[0] === kind; })[0][1]);
    }, function (problem) { say(problem.detail); });
  }

  function moreReplies(view) {
    var query = view.cursor ? "?" + new URLSearchParams({ cursor: view.cursor }) : "";
    view.more.disabled = true;
    api("GET", "/comments/" + view.c.id + "/replies" + query).then(function (result) {
      if (!view.cursor) view.replies.textContent = "";
      result.data.items.forEach(function (r) {
        var parent = views.get(r.parent);
        var list = parent && parent !== view && parent.li.isConnected ? parent.replies : view.replies;
        list.append(commentItem(r));
      });
      view.cursor = result.data.next_cursor;
      view.more.textContent = T.moreRepliesPlain;
      view.more.hidden = !view.cursor;
      view.more.disabled = false;
      say(result.data.items.length + " replies shown.");
    }, function (problem) {
      view.more.disabled = false;
      say(problem.detail);
    });
  }

  /* --- writing ------------------------------------------------------------ */

  function postComment(text, parentId) {
    try { requireReader(); } catch (problem) { return Promise.reject(problem); }
    var payload = { body: text };
    if (state.thread.id) payload.thread = state.thread.id;
    else {
      // The first comment creates the page's thread (for allowed sites only).
      payload.page_url = PAGE;
      payload.title = TITLE.slice(0, 300);
    }
    if (parentId) payload.parent = parentId;
    var form = parentId ? null : ui.compose;
    // One key per text: a retry of the same text after a lost answer can't post it twice.
    if (form && form.keyText !== text) {
      form.key = uuid();
      form.keyText = text;
    }
    return api("POST", "/comments", payload, { "Idempotency-Key": form ? form.key : uuid() }).then(function (result) {
      var c = result.data;
      if (form) {
        form.keyText = null;
        form.textarea.value = "";
      }
      state.thread.id = c.thread;
      state.mine.editable.push(c.id);
      state.mine.deletable.push(c.id);
      state.mine.sources[c.id] = text;
      var parent = views.get(c.parent);
      var item = commentItem(c);
      if (parent) parent.replies.append(item);
      else if (state.sort === "newest") ui.list.prepend(item);
      else ui.list.append(item);
      ui.empty.hidden = true;
      refreshThread();
      say(result.status === 202 ? T.heldPosted : T.posted);
    });
  }

  /* --- start -------------------------------------------------------------- */

  try { state.token = sessionStorage.getItem(TOKEN_KEY); } catch (e) { state.token = null; }

  api("GET", "/threads?url=" + encodeURIComponent(PAGE)).then(function (result) {
    state.thread = result.data;
    renderCount();
    return Promise.all([loadMe(), loadMine()]).then(function () { return loadPage(null); }).then(function () {
      ui.body.hidden = false;
      ui.status.textContent = "";
    });
  }, function (problem) {
    // e.g. origin_not_allowed: this site is not on Soundoff's allow-list.
    ui.status.textContent = "";
    showError(ui.refusal, problem.detail);
  });
})();
