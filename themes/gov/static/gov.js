// annals gov theme: reading controls (font size, high contrast) and the close button.
// Progressive enhancement only: every page is complete without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };
  // Apply saved choices before the page paints as far as a deferred script can.
  var font = store.get("annals-font");
  if (font === "large" || font === "small") { root.setAttribute("data-font", font); }
  if (store.get("annals-contrast") === "high") { root.setAttribute("data-contrast", "high"); }

  function sync() {
    var current = root.getAttribute("data-font") || "medium";
    var buttons = document.querySelectorAll("[data-font]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i] === root) { continue; }
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-font") === current));
    }
    var contrast = document.querySelectorAll("[data-contrast]");
    for (var j = 0; j < contrast.length; j++) {
      if (contrast[j] === root) { continue; }
      contrast[j].setAttribute("aria-pressed", String(root.getAttribute("data-contrast") === "high"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.querySelectorAll("[data-reading-controls]");
    for (var i = 0; i < controls.length; i++) { controls[i].hidden = false; }
    document.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest("button, a") : null;
      if (!target) { return; }
      if (target.hasAttribute("data-font") && target.tagName === "BUTTON") {
        var size = target.getAttribute("data-font");
        if (size === "medium") { root.removeAttribute("data-font"); } else { root.setAttribute("data-font", size); }
        store.set("annals-font", size);
        sync();
      } else if (target.hasAttribute("data-contrast") && target.tagName === "BUTTON") {
        var high = root.getAttribute("data-contrast") !== "high";
        if (high) { root.setAttribute("data-contrast", "high"); } else { root.removeAttribute("data-contrast"); }
        store.set("annals-contrast", high ? "high" : "normal");
        sync();
      } else if (target.hasAttribute("data-close") && window.opener) {
        // Opened by a script (a CMS list page): close the window; otherwise follow the link to the list.
        event.preventDefault();
        window.close();
      }
    });
    sync();
  });
})();
