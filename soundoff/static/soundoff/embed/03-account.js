  // Part of /embed.js, one closure with the other parts here: see 01-core.js.

  /* --- the reader --------------------------------------------------------- */

  function renderAccount() {
    ui.account.textContent = "";
    if (state.me && state.me.authenticated) {
      add(ui.account, [
        h("span", {}, sentence(T.signedInAs, function () { return h("strong", {}, state.me.reader.display_name); })),
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
    renderSanction();
  }

  function sanctionOf() {
    return (state.me && state.me.authenticated && state.me.sanction) || null;
  }

  function renderSanction() {
    var sanction = sanctionOf();
    ui.sanction.textContent = "";
    ui.sanction.hidden = !sanction;
    if (state.thread) ui.compose.form.hidden = Boolean(sanction) || !state.thread.is_open;
    if (!sanction) return;
    add(ui.sanction, [
      sanction.detail + " ",
      h("a", { href: sanction.appeal_url, target: "_blank", rel: "noopener" }, sanction.appeal_label)
    ]);
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
      function (result) { state.mine = result.data; showHeld(); },
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
