// Rekodning: when settling a disagreement fails (400) or someone settled it meanwhile (409),
// show the server's answer in place of the item instead of ignoring it (htmx's default).
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 409) && target && target.classList.contains("disagreement")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
