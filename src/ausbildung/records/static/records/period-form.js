// The week page's editor: its autosave (htmx, a few seconds after typing) and its save never collide.
//
// - Every write of the page (autosave or save) carries the page's editing session and a number counted up
//   here (edit_seq), so the server tells the page's own earlier autosave from someone else's save
//   (records.services.EditSession).
// - A save pressed while an autosave is on its way waits for it: the autosave's answer brings the new
//   version (hx-swap-oob on #id_version), and the save then goes with it. Navigating away at once would
//   abort the autosave in the browser, and the two requests could reach the server in either order.
// - Once the page is being saved, no autosave starts any more.
// - An autosave that was refused (conflict 409, invalid input 422) still shows its status line: htmx does not
//   swap error answers by default, which left the apprentice without any sign that it was not saved.
(function () {
  "use strict";
  const form = document.getElementById("period-form");
  if (!form) {
    return;
  }
  const seq = form.querySelector('input[name="edit_seq"]');
  let inFlight = 0;
  let submitting = false;
  let waiting = null; // {submitter} of a save that waits for the autosave in flight

  function bump() {
    if (seq) {
      seq.value = String((parseInt(seq.value, 10) || 0) + 1);
    }
  }

  form.addEventListener("htmx:confirm", function (event) {
    if (submitting) {
      event.preventDefault(); // the save carries everything typed; no autosave after it
      return;
    }
    bump();
  });
  form.addEventListener("htmx:beforeRequest", function () {
    inFlight += 1;
  });
  form.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  form.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0 && waiting !== null) {
      const submitter = waiting.submitter;
      waiting = null;
      // After the answer's swap (the new version is in the form): submit as the person asked.
      window.setTimeout(function () {
        form.requestSubmit(submitter || undefined);
      }, 0);
    }
  });
  form.addEventListener("submit", function (event) {
    submitting = true;
    if (inFlight > 0) {
      event.preventDefault();
      waiting = { submitter: event.submitter || null };
      return;
    }
    bump();
  });
})();
