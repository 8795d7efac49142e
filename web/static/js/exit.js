// Quick exit: leave the worker's page for a neutral site and replace the
// history entry, so that the Back button does not return here. Without
// JavaScript the link still leaves (but stays in the history). The Escape
// key leaves too.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  function leave(e) {
    if (e) {
      e.preventDefault();
    }
    document.body.textContent = "";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      leave(e);
    }
  });
})();
