// After htmx swaps new content in, move the keyboard focus to where the new content starts
// (an element marked data-focus-after-swap), so keyboard and screen-reader users are not
// dropped at the top of the page. Without JavaScript nothing is swapped and nothing is needed.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.target;
  var scope = target && target.isConnected ? target.parentNode || document : document;
  var element = scope.querySelector("[data-focus-after-swap]");
  if (element) {
    element.removeAttribute("data-focus-after-swap");
    element.focus();
  }
});

// Mention suggestions under a reply: a chosen name replaces the "@…" being typed. Without
// JavaScript the list is not shown and "@Name" is simply typed in full.
document.addEventListener("click", function (event) {
  var choice = event.target.closest && event.target.closest("[data-mention]");
  if (!choice) return;
  var box = document.getElementById("body");
  if (!box) return;
  var typed = "@" + (choice.getAttribute("data-typed") || "");
  var text = box.value;
  var at = text.lastIndexOf(typed);
  var start = at >= 0 ? at : text.length;
  box.value = text.slice(0, start) + "@" + choice.getAttribute("data-mention") + " ";
  var list = document.getElementById("mention-suggestions");
  if (list) list.innerHTML = "";
  box.focus();
});

// A field that counts only for one choice of another (data-shown-when="visibility=group": the
// working group only for "One working group") is shown only while that choice is made.
// Without JavaScript it is always shown, and its description says when it counts.
function showWhenChosen() {
  document.querySelectorAll("[data-shown-when]").forEach(function (element) {
    var rule = element.getAttribute("data-shown-when").split("=");
    var control = document.getElementById(rule[0]);
    if (control) element.hidden = control.value !== rule[1];
  });
}
document.addEventListener("change", function (event) {
  if (event.target.id && document.querySelector('[data-shown-when^="' + event.target.id + '="]')) {
    showWhenChosen();
  }
});
document.addEventListener("DOMContentLoaded", showWhenChosen);
document.addEventListener("htmx:afterSettle", showWhenChosen);
// The menu on small screens: a disclosure button folds the menu, the search and the account
// links away (CSS shows the button only on small screens). Without JavaScript a link to #menu
// opens them instead.
(function () {
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  if (!button) return;
  header.classList.add("site-header--js");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("site-header--open", open);
  });
})();
