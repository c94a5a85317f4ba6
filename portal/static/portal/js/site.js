/*
 * Progressive enhancements for the public site. Everything works without this file;
 * it is loaded with `defer` from base.html (no inline scripts: the CSP forbids them).
 *
 *  - main navigation and [data-wide-open] panels (the catalog's filters): open on
 *    wide screens where CSS ::details-content is missing; Escape closes the phone
 *    menu and returns focus to its toggle
 *  - [data-error-summary]: focused on load so screen readers announce the errors
 *  - [data-print]: buttons that print the page (hidden until this script runs)
 *  - [data-retry-after="N"]: the page loads itself again after N seconds (a file
 *    that is still being made, e.g. a receipt PDF; its link does the same by hand)
 *  - [data-captcha]: “换一张” fetches a new challenge and “改用文字题” switches to a
 *    question in text (and back), from /captcha/new/ — the page is not reloaded,
 *    so nothing typed in the form is lost; the choice of a question is kept for
 *    the next form in this tab (sessionStorage)
 */
(function () {
  "use strict";

  var nav = document.querySelector("[data-site-nav]");
  var wideOpen = document.querySelectorAll("[data-site-nav], [data-wide-open]");
  var wide = window.matchMedia("(min-width: 48em)");
  var cssShowsMenu =
    window.CSS && CSS.supports && CSS.supports("selector(::details-content)");

  function syncWideOpen() {
    if (!cssShowsMenu) {
      wideOpen.forEach(function (details) {
        details.open = wide.matches;
      });
    }
  }

  syncWideOpen();
  wide.addEventListener("change", syncWideOpen);
  if (nav) {
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

  var retry = document.querySelector("[data-retry-after]");
  if (retry) {
    window.setTimeout(function () {
      window.location.reload();
    }, 1000 * (parseFloat(retry.getAttribute("data-retry-after")) || 2));
  }

  var CAPTCHA_KIND = "chuangkou:captcha-kind";

  function rememberedKind() {
    try {
      return window.sessionStorage.getItem(CAPTCHA_KIND) === "question"
        ? "question"
        : "image";
    } catch (error) {
      return "image";
    }
  }

  function remember(kind) {
    try {
      window.sessionStorage.setItem(CAPTCHA_KIND, kind);
    } catch (error) {
      // Storage refused (private mode): the choice is not kept, nothing else.
    }
  }

  document.querySelectorAll("[data-captcha]").forEach(function (box) {
    var text = box.dataset;
    var key = box.querySelector('input[type="hidden"]');
    var answer = box.querySelector('input[type="text"]');
    var image = box.querySelector("[data-captcha-image]");
    var question = box.querySelector("[data-captcha-question]");
    var refresh = box.querySelector("[data-captcha-refresh]");
    var toggle = box.querySelector("[data-captcha-switch]");
    var status = box.querySelector("[data-captcha-status]");
    var help = document.getElementById(key.id.replace(/_0$/, "") + "_helptext");
    var described = answer.getAttribute("aria-describedby") || "";
    var kind = "image";

    function show(data, announce) {
      kind = data.kind;
      key.value = data.key;
      answer.value = "";
      var asking = kind === "question";
      image.hidden = asking;
      question.hidden = !asking;
      if (asking) {
        question.textContent = data.question;
        answer.setAttribute("inputmode", "numeric");
        answer.setAttribute(
          "aria-describedby",
          (question.id + " " + described).trim()
        );
      } else {
        image.src = data.image_url;
        answer.removeAttribute("inputmode");
        answer.setAttribute("aria-describedby", described);
      }
      refresh.textContent = asking ? text.refreshQuestion : text.refreshImage;
      toggle.textContent = asking ? text.switchImage : text.switchQuestion;
      if (help) {
        help.textContent = asking ? text.helpQuestion : text.helpImage;
      }
      if (announce) {
        status.textContent = asking
          ? text.doneQuestion + data.question
          : text.doneImage;
        answer.focus();
      }
      remember(kind);
    }

    function load(wanted, announce) {
      fetch(text.captchaUrl + "?kind=" + wanted, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          show(data, announce);
        })
        .catch(function () {
          if (announce) {
            status.textContent = text.failed;
          }
        });
    }

    refresh.hidden = false;
    toggle.hidden = false;
    refresh.addEventListener("click", function () {
      load(kind, true);
    });
    toggle.addEventListener("click", function () {
      load(kind === "image" ? "question" : "image", true);
    });
    if (rememberedKind() === "question") {
      load("question", false);
    }
  });
})();
