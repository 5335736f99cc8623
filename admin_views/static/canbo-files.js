/* The panel's file inputs (templates/admin/_file_input.html): the chosen file's name
   beside the "Chọn tệp…" button, or "Chưa chọn tệp". */
(function () {
  "use strict";
  var NONE = "Chưa chọn tệp";

  function show(input) {
    var out = document.getElementById(input.id + "-name");
    if (!out) {
      return;
    }
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    out.textContent = names.length ? names.join(", ") : NONE;
    out.classList.toggle("chosen", names.length > 0);
  }

  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("canbo-file-input")) {
      show(event.target);
    }
  });
  // A page restored by Back keeps the chosen file: say so.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".canbo-file-input"), show);
  });
})();
