// Shows the sextortion steps the moment the box is ticked, before anything is saved.
(function () {
  "use strict";
  var box = document.getElementById("id_financial_sextortion");
  var panel = document.getElementById("sextortion-fast-path");
  if (!box || !panel) { return; }
  function update() { panel.classList.toggle("d-none", !box.checked); }
  box.addEventListener("change", update);
  update();
})();
