  // Part of /embed.js, one closure with the other parts here: see 01-core.js.

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
  // A suspended or banned reader sees why, until when, and how to appeal,
  // in place of the form (the text comes translated from /me).
  ui.sanction = h("p", { "class": "refusal", hidden: true });
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
    ui.account, ui.policies, ui.sanction, ui.closed, ui.compose.form,
    h("p", { "class": "notice" }, sentence(T.notice, function (key) {
      var link = T.noticeLinks[key];
      return h("a", { href: absolute(link[1]), target: "_blank", rel: "noopener" }, link[0]);
    }))
  );
  root.append(h("section", { "aria-labelledby": "so-count", lang: LANGUAGE }, ui.count, ui.status, ui.refusal, ui.body));

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
          if (problem.code === "email_not_confirmed") error.append(" ", sendLinkButton(error));
        }
      );
    });
    return { form: form, textarea: textarea, error: error };
  }

  // The address is not confirmed yet: mail the link again; the text stays in the box.
  function sendLinkButton(error) {
    var button = h("button", { type: "button" }, T.sendLink);
    button.addEventListener("click", function () {
      button.disabled = true;
      api("POST", "/me/confirmation").then(
        function (result) { showError(error, result.data.detail); },
        function (problem) { button.disabled = false; say(problem.detail); }
      );
    });
    return button;
  }

  function requireReader() {
    if (!state.token) throw new Problem("not_signed_in", T.joinIn);
  }
