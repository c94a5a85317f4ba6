// The catalog import's status page (templates/services_catalog/admin/catalog_import.html):
// while the background import runs, ask for its progress every second and move the bar;
// reload the page, which then shows the report, once it has finished. Without this
// script the page's refresh link does the same. No library needed.
(function () {
  "use strict";
  var section = document.querySelector("[data-catalog-import-progress]");
  if (!section) {
    return;
  }
  var bar = section.querySelector("progress");
  var text = section.querySelector("[data-progress-text]");

  function poll() {
    fetch(section.getAttribute("data-catalog-import-progress"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (status && status.finished) {
          window.location.reload();
          return;
        }
        if (status) {
          if (status.total) {
            bar.max = status.total;
            bar.value = status.done;
          }
          text.textContent = status.text;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
