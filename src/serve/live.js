// Injected by `annals serve` only (never part of a built site): reloads the page
// when the site was rebuilt after a file was saved.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var source = new EventSource("/__annals/events");
  source.addEventListener("reload", function () {
    window.location.reload();
  });
})();
