/* Soundoff reactions: press Agree, Insightful or Funny without leaving the
 * page. No framework, no inline script (CSP: script-src 'self').
 *
 * Each reaction is a small form (form[data-reaction-form]) that works on its
 * own: posted, it brings the reader back to the comment with a message. This
 * script posts the same form with fetch, asking for JSON, and puts the answer
 * in place: the count ([data-reaction-count]), the pressed state of the three
 * buttons (aria-pressed) and what each form will ask next (input[name=on]).
 * A refusal (too fast, a closed discussion) is said beside the buttons in the
 * server's words. If the request fails altogether the form is posted as
 * usual, so the reader still gets there.
 */
(function () {
  "use strict";

  function show(group, data) {
    var count = group.querySelector("[data-reaction-count]");
    if (count) count.textContent = data.text;
    var forms = group.querySelectorAll("form[data-reaction-form]");
    Array.prototype.forEach.call(forms, function (form) {
      var pressed = data.mine.indexOf(form.elements.kind.value) >= 0;
      form.elements.on.value = pressed ? "0" : "1";
      var button = form.querySelector("button");
      if (button) button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
    say(group, "");
  }

  function say(group, text) {
    var note = group.querySelector(".reactions__note");
    if (!note && !text) return;
    if (!note) {
      note = document.createElement("p");
      note.className = "reactions__note";
      note.setAttribute("role", "alert");
      group.appendChild(note);
    }
    note.textContent = text;
    note.hidden = !text;
  }

  function submit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-reaction-form]")) return;
    var group = form.closest(".reactions");
    if (!group || typeof window.fetch !== "function") return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    window
      .fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            show(group, data);
          } else {
            say(group, data.detail || "");
          }
        });
      })
      .catch(function () {
        form.submit();
      })
      .then(function () {
        form.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("submit", submit);
})();
