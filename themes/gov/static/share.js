// annals gov theme: share page controls. Copy link (announced through the
// aria-live status line) and the system share sheet where the browser has one.
// Every share link works without this file.
(function () {
  "use strict";
  function announce(status, key) {
    if (!status) { return; }
    // Clear first so the same message is announced again on a second click.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = status.getAttribute(key) || ""; }, 50);
  }

  function copyByHand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-share-status]");
    var i;
    var needsJs = document.querySelectorAll("[data-needs-js]");
    for (i = 0; i < needsJs.length; i++) { needsJs[i].hidden = false; }
    if (typeof navigator.share === "function") {
      var native = document.querySelectorAll("[data-needs-share]");
      for (i = 0; i < native.length; i++) { native[i].hidden = false; }
    }
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button) { return; }
      if (button.hasAttribute("data-copy")) {
        var text = button.getAttribute("data-copy");
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () {
            announce(status, "data-copied");
          }, function () {
            announce(status, copyByHand(text) ? "data-copied" : "data-copy-failed");
          });
        } else {
          announce(status, copyByHand(text) ? "data-copied" : "data-copy-failed");
        }
      } else if (button.hasAttribute("data-native-share") && typeof navigator.share === "function") {
        navigator.share({
          title: button.getAttribute("data-title"),
          text: button.getAttribute("data-text"),
          url: button.getAttribute("data-url")
        }).catch(function () { /* the reader closed the share sheet */ });
      }
    });
  });
})();
