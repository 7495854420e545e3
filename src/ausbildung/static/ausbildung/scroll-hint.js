// A table wider than its box (.kern-table-responsive) scrolls sideways inside it; the page itself never does.
// Such a box gets a visible note above it ("scroll sideways") and a faded right edge while there is more to
// see; both go away when the table fits (a wider screen, a turned phone). The note's text comes translated
// from the script tag's data-hint.
(function () {
  "use strict";
  var script = document.currentScript;
  var hint = script && script.dataset.hint;
  if (!hint) return;

  function update(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-scrollable", scrolls);
    box.classList.toggle("is-scrolled-to-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    var note = box.previousElementSibling;
    var hasNote = note !== null && note.classList.contains("scroll-hint");
    if (scrolls && !hasNote) {
      note = document.createElement("p");
      note.className = "scroll-hint kern-body kern-body--small";
      note.setAttribute("aria-hidden", "true"); // a visual hint: screen readers read the table as a table
      note.textContent = hint;
      box.parentNode.insertBefore(note, box);
    } else if (!scrolls && hasNote) {
      note.remove();
    }
  }

  var observer = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { update(entry.target); });
  }) : null;

  function watch(root) {
    root.querySelectorAll(".kern-table-responsive:not([data-scroll-hint])").forEach(function (box) {
      box.dataset.scrollHint = "";
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
      if (observer) observer.observe(box);
      update(box);
    });
  }

  watch(document);
  // Tables that arrive later (htmx swaps search results and parts of pages).
  document.addEventListener("htmx:afterSettle", function () { watch(document); });
})();
