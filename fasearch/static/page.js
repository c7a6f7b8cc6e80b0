// Enhancements only: the page works without this file.
// "/" focuses the search box, as on many search sites.
document.addEventListener("keydown", function (event) {
  var box = document.querySelector("input[name=q]");
  if (event.key === "/" && document.activeElement !== box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
