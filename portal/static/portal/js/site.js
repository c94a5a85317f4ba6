/*
 * Progressive enhancements for the public site. Everything works without this file;
 * it is loaded with `defer` from base.html (no inline scripts: the CSP forbids them).
 *
 *  - main navigation: open on wide screens where CSS ::details-content is missing;
 *    Escape closes the phone menu and returns focus to its toggle
 *  - [data-error-summary]: focused on load so screen readers announce the errors
 *  - [data-print]: buttons that print the page (hidden until this script runs)
 */
(function () {
  "use strict";

  var nav = document.querySelector("[data-site-nav]");
  var wide = window.matchMedia("(min-width: 48em)");
  var cssShowsMenu =
    window.CSS && CSS.supports && CSS.supports("selector(::details-content)");

  function syncNav() {
    if (nav && !cssShowsMenu) {
      nav.open = wide.matches;
    }
  }

  if (nav) {
    syncNav();
    wide.addEventListener("change", syncNav);
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.open && !wide.matches) {
        nav.open = false;
        nav.querySelector("summary").focus();
      }
    });
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
