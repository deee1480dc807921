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
 *
 * The widget is one closure written in parts, one concern each: 00-i18n.js
 * (the reader's language), this file (settings, strings, styles, state, the
 * DOM and API helpers), then 02-frame.js, 03-account.js, 04-thread.js, 05-writing.js and 06-start.js.
 * soundoff/embed/views.py serves them as /embed.js, in that order, inside
 * one strict-mode function expression that it calls at once. So a name
 * declared in any part is visible in all of them, and statements run in
 * part order: the settings here, the frame (02), the sign-in listener (03),
 * the first load (06). No part is a script on its own.
 */

  var script = document.currentScript;
  if (!script || !script.src) return;

  var BASE = new URL(script.src).origin;
  var API = BASE + "/api/v1";
  var TOKEN_KEY = "soundoff-token:" + BASE;
  var canonical = document.querySelector('link[rel="canonical"]');
  var PAGE = script.getAttribute("data-soundoff-page") || (canonical && canonical.href) || location.href;
  var TITLE = script.getAttribute("data-soundoff-title") || document.title;

  /* Every word the widget shows, in the reader's language (00-i18n.js). */
  var T = {
    loading: gettext("Loading the discussion…"),
    sortBy: gettext("Sort comments"),
    sorts: [
      ["oldest", gettext("Oldest first")],
      ["newest", gettext("Newest first")],
      ["reactions", gettext("Most reactions")]
    ],
    kinds: [["agree", gettext("Agree")], ["insightful", gettext("Insightful")], ["funny", gettext("Funny")]],
    reactions: function (n) {
      return interpolate(ngettext("%(count)s reaction", "%(count)s reactions", n), { count: n });
    },
    noComments: gettext("No comments yet. Start the discussion."),
    loadMore: gettext("Load more comments"),
    moreReplies: function (n) {
      return interpolate(ngettext("Show %(count)s more reply", "Show %(count)s more replies", n), { count: n });
    },
    moreRepliesPlain: gettext("Show more replies"),
    postAComment: gettext("Post a comment"),
    yourComment: gettext("Your comment"),
    post: gettext("Post"),
    replyTo: function (name) { return interpolate(gettext("Your reply to %(name)s"), { name: name }); },
    postReply: gettext("Post reply"),
    reply: gettext("Reply"),
    edit: gettext("Edit"),
    editYours: gettext("Edit your comment"),
    save: gettext("Save"),
    cancel: gettext("Cancel"),
    del: gettext("Delete"),
    reallyDelete: gettext("Yes, delete it"),
    confirmDelete: gettext("Delete your comment? This can't be undone."),
    report: gettext("Report"),
    whichRule: gettext("Which rule does it break?"),
    otherReason: gettext("Something else (explain below)"),
    explain: gettext("Explanation (optional)"),
    sendReport: gettext("Send report"),
    reported: gettext("Thank you. A moderator will review this comment."),
    edited: gettext("edited"),
    featured: gettext("Featured"),
    held: gettext("Awaiting review: only you can see this until a moderator approves it."),
    removed: gettext("This comment was removed by a moderator."),
    deleted: gettext("This comment was deleted by its author."),
    commentBy: function (name) { return interpolate(gettext("Comment by %(name)s"), { name: name }); },
    signedInAs: gettext("Signed in as [[name]]"),
    signOut: gettext("Sign out"),
    signedOut: gettext("You are signed out on this page."),
    logIn: gettext("Log in"),
    register: gettext("Register"),
    joinIn: gettext("Log in or register to take part in the discussion."),
    signingIn: gettext("Complete signing in in the window that opened."),
    popupBlocked: gettext("Your browser blocked the sign-in window. Allow pop-ups for this page and try again."),
    welcome: function (name) { return interpolate(gettext("Signed in as %(name)s."), { name: name }); },
    expired: gettext("Your sign-in has expired. Log in again to continue."),
    awaiting: gettext("Before you comment, please read and accept:"),
    version: function (v) { return " " + interpolate(gettext("(version %(number)s)"), { number: v }); },
    accept: gettext("I have read and accept these documents"),
    accepted: gettext("Thank you. You can comment now."),
    sendLink: gettext("Send the link again"),
    posted: gettext("Your comment is posted."),
    heldPosted: gettext("Your comment is held for review; it will appear once a moderator approves it."),
    saved: gettext("Your changes are saved."),
    removedOwn: gettext("Your comment is deleted."),
    empty: gettext("Write something first."),
    closed: gettext("The discussion is closed."),
    network: gettext("Soundoff could not be reached. Check your connection and try again."),
    failed: gettext("Something went wrong. Please try again."),
    /* The policy notice: the sentence with its three links, whose places
     * in the sentence are the translator's to choose ([[rules]] …). */
    notice: gettext(
      "The discussion is welcome as long as it follows the [[rules]], which are part of the " +
      "[[terms]]. Comments are not pre-screened; moderators act afterwards. By posting, you let " +
      "this site use what you post together with your name and profile picture, as the " +
      "[[privacy]] and the licence in the [[terms]] say."
    ),
    noticeLinks: {
      rules: [gettext("Rules of Conduct"), "/rules/"],
      terms: [gettext("Terms of Service"), "/terms/"],
      privacy: [gettext("Privacy Policy"), "/privacy/"]
    }
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
    return { editable: [], deletable: [], reactions: {}, sources: {}, held: [] };
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
