/* The sign-in popup's last step: hand the widget its token, then close.
 *
 * The token goes only to window.opener, and only if the opener's page is on
 * the origin named in data-origin (the allowed site that opened the popup):
 * postMessage's target origin makes the browser drop it otherwise. Never "*".
 */
(function () {
  "use strict";
  var handoff = document.getElementById("soundoff-handoff");
  if (!handoff) return;
  var origin = handoff.getAttribute("data-origin");
  var token = handoff.getAttribute("data-token");
  if (window.opener && origin && token) {
    window.opener.postMessage({ type: "soundoff:token", token: token }, origin);
    window.close();
  }
  // Still open: no opener (opened directly), or the browser refused to close.
  var fallback = handoff.querySelector(".embed-signin__fallback");
  if (fallback) fallback.hidden = false;
})();
