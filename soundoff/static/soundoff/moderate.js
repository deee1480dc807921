// Keyboard for the moderation queues: j/k move between items, a approves,
// r goes to the rule of the remove form, x toggles the item's selection.
// Plain forms do the work; this only moves focus and submits them.
(function () {
  "use strict";
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".mod-item")); }
  function current() { return document.activeElement && document.activeElement.closest(".mod-item"); }
  function move(step) {
    var list = items(); if (!list.length) { return; }
    var index = list.indexOf(current());
    var next = list[Math.min(list.length - 1, Math.max(0, index + step))] || list[0];
    next.focus(); next.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var item = current();
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (item && event.key === "a") {
      // Submit through the button: the decision is its name and value,
      // which a submit without a submitter would leave out.
      var approve = item.querySelector("form[data-key=a] button[name=decision]");
      if (approve) { approve.form.requestSubmit(approve); event.preventDefault(); }
    } else if (item && event.key === "r") {
      var rule = item.querySelector("form[data-key=r] select");
      if (rule) { rule.focus(); event.preventDefault(); }
    } else if (item && event.key === "x") {
      var box = item.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; event.preventDefault(); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var first = items()[0]; if (first) { first.focus(); }
  });
})();
