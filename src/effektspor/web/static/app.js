// Keyboard shortcuts of effektspor: "/" focuses the search field, j/k move through the
// timeline of a case. Never while the user is typing in a field.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function moveInTimeline(step) {
    var entries = Array.prototype.slice.call(document.querySelectorAll(".timeline .entry"));
    if (!entries.length) { return; }
    var index = entries.indexOf(document.activeElement);
    var next = entries[Math.min(entries.length - 1, Math.max(0, index + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "j") {
      moveInTimeline(1);
    } else if (event.key === "k") {
      moveInTimeline(-1);
    }
  });
})();
