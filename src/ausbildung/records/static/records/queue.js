// The review queue: "Select all" ticks (or clears) every period of the page in place. Without this script the
// same link loads the page again with every box ticked (records.views.queue, ?alle=1).
(function () {
  var toggle = document.querySelector("[data-select-all]");
  if (!toggle) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="periods"]'));
  function allChecked() {
    return boxes.length > 0 && boxes.every(function (box) { return box.checked; });
  }
  function update() {
    toggle.textContent = allChecked() ? toggle.dataset.labelNone : toggle.dataset.labelAll;
  }
  toggle.setAttribute("role", "button");
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var check = !allChecked();
    boxes.forEach(function (box) { box.checked = check; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
})();
