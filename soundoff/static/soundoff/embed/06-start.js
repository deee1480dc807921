  // Part of /embed.js, one closure with the other parts here: see 01-core.js.

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
