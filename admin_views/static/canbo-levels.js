/* A qualification row's level box lists only the levels of the kind chosen beside it
   (admin_views/staff.py LEVELS_BY_KIND; the server checks the same, level_matches_kind).
   Each level <select> carries data-levels-by-kind; its kind box is the <select> whose
   name ends in "-kind" instead of "-level" (qualifications-0-kind, …). */
(function () {
  "use strict";

  function kindBox(levelBox) {
    var name = levelBox.name.replace(/-level$/, "-kind");
    return levelBox.form ? levelBox.form.elements[name] : null;
  }

  function filter(levelBox) {
    var kind = kindBox(levelBox);
    var byKind = JSON.parse(levelBox.getAttribute("data-levels-by-kind") || "{}");
    var levels = kind && byKind[kind.value];
    if (!levels) {
      return;
    }
    var current = levelBox.value;
    if (levelBox.getAttribute("data-kind-shown") === kind.value) {
      return;
    }
    levelBox.setAttribute("data-kind-shown", kind.value);
    while (levelBox.options.length) {
      levelBox.remove(0);
    }
    levels.forEach(function (level) {
      levelBox.add(new Option(level[1], level[0], false, level[0] === current));
    });
    if (!levels.some(function (level) { return level[0] === current; })) {
      levelBox.selectedIndex = 0;
    }
  }

  function filterAll() {
    Array.prototype.forEach.call(
      document.querySelectorAll("select[data-levels-by-kind]"), function (box) {
        if (!/-_-level$/.test(box.name)) {  // not the hidden template of a new row
          filter(box);
        }
      });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.tagName === "SELECT" && /-kind$/.test(box.name) && box.form) {
      var level = box.form.elements[box.name.replace(/-kind$/, "-level")];
      if (level && level.hasAttribute("data-levels-by-kind")) {
        filter(level);
      }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    filterAll();
    // a row added with "Thêm" is filtered as soon as it is in the page
    new MutationObserver(filterAll).observe(document.body, {childList: true, subtree: true});
  });
})();
