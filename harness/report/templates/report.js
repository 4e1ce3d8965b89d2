// Expand or collapse every <details> inside an element (the whole page or one sample).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-details]");
  if (!button) return;
  var scope = button.closest("[data-scope]") || document;
  var open = button.getAttribute("data-details") === "open";
  scope.querySelectorAll("details").forEach(function (d) { d.open = open; });
});
