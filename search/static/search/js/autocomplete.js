/*
 * Service item suggestions for search boxes (search app).
 *
 * Enhances every <input data-autocomplete="/search/suggest/"> and the site header's
 * search box into an ARIA 1.2 combobox with a listbox popup
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
 *   typing           asks the server for item names (after a short pause)
 *   Down / Up        opens the list, moves through it (focus stays in the box)
 *   Enter            opens the highlighted item; with none highlighted, searches
 *   Escape           closes the list (a second Escape clears the box)
 *   Tab, click away  closes the list
 * The number of suggestions is announced through a polite live region. Without
 * JavaScript the boxes are plain search fields.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var counter = 0;

  function enhance(input, url) {
    if (input.getAttribute("role") === "combobox") {
      return;
    }
    counter += 1;
    var listId = "autocomplete-list-" + counter;
    var host = input.parentElement;
    host.classList.add("autocomplete-host");

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.autocompleteLabel || "搜索建议");
    list.hidden = true;
    host.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    host.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var suggestions = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function open() {
      if (!suggestions.length) {
        return;
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function setActive(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (option, position) {
        option.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      var suggestion = suggestions[index];
      if (suggestion && suggestion.url) {
        window.location.assign(suggestion.url);
      }
    }

    function render() {
      list.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "autocomplete__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.textContent = suggestion.title;
        option.appendChild(title);
        if (suggestion.code) {
          var code = document.createElement("span");
          code.className = "autocomplete__code";
          code.textContent = suggestion.code;
          option.appendChild(code);
        }
        // mousedown, not click: the box must not lose the value on blur first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(index);
        });
        list.appendChild(option);
      });
      active = -1;
      if (suggestions.length) {
        open();
        status.textContent =
          suggestions.length + " 条建议，可用上下方向键选择，回车打开。";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (!query) {
        suggestions = [];
        render();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = "AbortController" in window ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() !== query) {
            return;
          }
          suggestions = data.suggestions || [];
          render();
        })
        .catch(function () {
          /* aborted or offline: keep the plain search box */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var count = suggestions.length;
      switch (event.key) {
        case "ArrowDown":
          if (!count) {
            return;
          }
          event.preventDefault();
          open();
          setActive(active + 1 >= count ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!count) {
            return;
          }
          event.preventDefault();
          open();
          setActive(active - 1 < 0 ? count - 1 : active - 1);
          break;
        case "Enter":
          if (!list.hidden && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            suggestions = [];
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
      enhance(input, input.dataset.autocomplete);
    });
    var header = document.getElementById("site-search-q");
    if (header) {
      var form = header.form;
      var action = form ? form.getAttribute("action") : "/search/";
      enhance(header, header.dataset.autocomplete || action.replace(/\/?$/, "/") + "suggest/");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
