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
