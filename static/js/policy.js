// The policy pages: a print button, and the editor's box that says when the chosen rule set
// departs from national advice (shown as soon as it is chosen, before the draft is saved).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  var select = document.querySelector("[data-departure-select]");
  if (!select) { return; }
  var boxes = document.querySelectorAll("[data-departure-for]");
  var confirm = document.querySelector("[data-departure-confirm]");
  function update() {
    var departs = false;
    boxes.forEach(function (box) {
      var shown = box.getAttribute("data-departure-for") === select.value;
      box.hidden = !shown;
      departs = departs || shown;
    });
    if (confirm) { confirm.hidden = !departs; }
  }
  select.addEventListener("change", update);
  update();
})();
