  // Part of /embed.js, one closure with the other parts here: see 01-core.js.

  /* --- writing: reply, edit, delete, report, react, post ---------------- */

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
    if (sanctionOf()) {
      say(sanctionOf().detail);
      ui.sanction.scrollIntoView({ block: "nearest" });
      return false;
    }
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
