// Keyboard of the classification sheet: the number keys 1-9 pick a value of the variable
// that has the focus (the first variable when none has), Enter on a chosen value saves.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
      (target.tagName === "INPUT" && !/^(radio|checkbox)$/.test(target.type)));
  }
  function currentVariable() {
    var active = document.activeElement;
    var section = active && active.closest ? active.closest(".variable") : null;
    return section || document.querySelector(".variable");
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (/^[1-9]$/.test(event.key)) {
      var section = currentVariable();
      if (!section) { return; }
      var radios = section.querySelectorAll("form.choose input[type=radio]");
      var radio = radios[Number(event.key) - 1];
      if (!radio) { return; }
      event.preventDefault();
      radio.checked = true;
      radio.focus();
    } else if (event.key === "Enter" && event.target.type === "radio") {
      var form = event.target.form;
      if (form) { event.preventDefault(); form.requestSubmit(); }
    }
  });
})();
