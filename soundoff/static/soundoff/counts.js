/* Soundoff counts: `soundoff (N Responses)` in every marked link, in one request.
 *
 *   <a href="https://example.org/story" data-soundoff-count>Comments</a>
 *   <script async src="https://SOUNDOFF/counts.js"></script>
 *
 * The page is the link's href, or data-soundoff-page when the link points
 * elsewhere. Up to 100 pages go in one request (more in batches of 100).
 * A link keeps its own text when Soundoff can't be reached.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var API = new URL(script.src).origin + "/api/v1/counts";
  var BATCH = 100;

  function fill() {
    var links = document.querySelectorAll("[data-soundoff-count]");
    var byPage = new Map();
    Array.prototype.forEach.call(links, function (link) {
      var page = link.getAttribute("data-soundoff-page") || link.href;
      if (!page) return;
      if (!byPage.has(page)) byPage.set(page, []);
      byPage.get(page).push(link);
    });
    var pages = Array.from(byPage.keys());
    for (var start = 0; start < pages.length; start += BATCH) {
      request(pages.slice(start, start + BATCH), byPage);
    }
  }

  function request(pages, byPage) {
    var query = new URLSearchParams();
    pages.forEach(function (page) { query.append("url", page); });
    fetch(API + "?" + query, { credentials: "omit", mode: "cors" })
      .then(function (response) { return response.ok ? response.json() : { counts: [] }; })
      .then(function (data) {
        data.counts.forEach(function (count) {
          (byPage.get(count.key) || []).forEach(function (link) { link.textContent = count.soundoff_text; });
        });
      })
      .catch(function () { /* Soundoff unreachable: the links keep their text */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
