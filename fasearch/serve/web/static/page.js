// Enhancements only: the page works without this file.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");

  // "/" focuses the search box, as on many search sites.
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // On a phone the facets start folded, above the hits.
  var facets = document.querySelector("details.facets");
  if (facets && window.matchMedia("(max-width: 700px)").matches) facets.open = false;

  // Completions of the last word as you type: debounced, chosen with the arrow keys.
  if (!box || !list || !window.fetch) return;
  var timer = null, active = -1, asked = "";

  function options() { return list.querySelectorAll("li"); }

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    box.setAttribute("aria-activedescendant", items[active].id);
  }

  function choose(text) {
    box.value = text + " ";
    close();
    box.focus();
  }

  function show(words) {
    close();
    if (!words.length) return;
    words.forEach(function (word, i) {
      var item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = word;  // text, never HTML
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(word); });
      list.appendChild(item);
    });
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var text = box.value;
    if (!text.trim() || /\s$/.test(text)) { close(); return; }
    asked = text;
    fetch("/api/suggest?q=" + encodeURIComponent(text))
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (box.value === asked) show(data.suggestions || []); })
      .catch(close);
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  box.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active].textContent); }
  });
  box.addEventListener("blur", function () { setTimeout(close, 100); });
})();
