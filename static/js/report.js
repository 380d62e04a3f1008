// The reporting form: show the immediate-risk numbers when the box is ticked, and warn before the
// session's idle timeout ends. Nothing typed is stored in the browser.
(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  if (!form) { return; }

  var box = document.getElementById("id_immediate_risk");
  var announcement = document.getElementById("risk-announcement");
  if (box) {
    box.addEventListener("change", function () {
      form.classList.toggle("risk-ticked", box.checked);
      if (announcement) {
        announcement.textContent = box.checked
          ? "If a child is in danger now, call 999. Your safeguarding team's phone numbers are shown below the box."
          : "";
      }
    });
  }

  // A second click while the first submission is on its way would only send the same report again
  // (the server keeps one), but it worries people: ignore it and say that it is sending.
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.textContent = "Sending…";
    }
  });

  var idleSeconds = parseInt(form.getAttribute("data-idle-seconds"), 10);
  var warning = document.getElementById("idle-warning");
  if (idleSeconds > 0 && warning) {
    // Warn five minutes before the end (or at two thirds of a short timeout).
    var warnAfter = Math.max(idleSeconds - 300, Math.floor(idleSeconds * 2 / 3)) * 1000;
    window.setTimeout(function () { warning.hidden = false; }, warnAfter);
  }
})();
