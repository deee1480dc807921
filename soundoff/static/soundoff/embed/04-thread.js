  // Part of /embed.js, one closure with the other parts here: see 01-core.js.

  /* --- the thread --------------------------------------------------------- */

  function renderCount() {
    ui.count.textContent = state.thread.soundoff_text;
    var open = state.thread.is_open;
    ui.closed.hidden = open;
    ui.compose.form.hidden = !open || Boolean(sanctionOf());
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
        if (!cursor) showHeld();
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

  // The reader's own comments that wait for a moderator are in no shared
  // listing: they come with /mine, and show marked (T.held) at the top.
  function showHeld() {
    (state.mine.held || []).forEach(function (c) {
      if (!views.has(c.id)) ui.list.prepend(commentItem(c));
    });
    if (ui.list.children.length) ui.empty.hidden = true;
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
        h("a", { href: absolute(c.url), target: "_blank", rel: "noopener" }, h("time", { datetime: c.created_at }, c.created_line)),
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
    // A closed discussion takes no replies or reactions; its count stays.
    var open = state.thread.is_open;
    if (c.status === "visible") {
      if (open) {
        T.kinds.forEach(function (pair) {
          bar.append(h("button", {
            type: "button",
            "aria-pressed": String(pressed.indexOf(pair[0]) !== -1),
            onclick: function () { react(view, pair[0]); }
          }, pair[1]));
        });
      }
      bar.append(h("span", { "class": "count-r" }, T.reactions(c.reaction_count)));
      if (open) {
        bar.append(h("button", { type: "button", onclick: function (e) { openReply(view, e.target); } }, T.reply));
      }
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
