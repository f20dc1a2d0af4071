// The coding workbench: code colours, the code panel for a text selection, htmx error
// swaps and "select all" on the suggestion page. Offsets sent to the server are
// code-point offsets (JS strings are UTF-16; characters outside the BMP count once).
(function () {
  "use strict";
  var COLOUR = /^#[0-9a-fA-F]{6}$/;

  function applyColours(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var items = Array.prototype.slice.call(scope.querySelectorAll("[data-colour]"));
    if (scope.matches && scope.matches("[data-colour]")) { items.push(scope); }
    items.forEach(function (el) {
      var colour = el.getAttribute("data-colour");
      if (COLOUR.test(colour)) { el.style.setProperty("--code-colour", colour); }
    });
  }

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRF-Token"] || ""; } catch (e) { return ""; }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function codePoints(text) { return Array.from(text).length; }

  function swapNote(noteWork, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.querySelector(".note-work");
    if (!fresh) { return null; }
    noteWork.replaceWith(fresh);
    if (window.htmx) { window.htmx.process(fresh); }
    applyColours(fresh);
    return fresh;
  }

  // -- the code panel ------------------------------------------------------------------
  var panel, filter, list, memo, recentList, errorBox, quoteBox;
  var codes = [], recent = [], shown = [], active = 0, chosen = null, target = null;

  function selectionTarget() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var end = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
    var box = start && start.closest(".note-text.codable");
    if (!box || !end || end.closest(".note-text.codable") !== box) { return null; }
    var before = document.createRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    var s16 = before.toString().length;
    var e16 = s16 + range.toString().length;
    var full = box.textContent;
    while (s16 < e16 && /\s/.test(full.charAt(s16))) { s16++; }
    while (e16 > s16 && /\s/.test(full.charAt(e16 - 1))) { e16--; }
    if (s16 >= e16) { return null; }
    return { box: box, noteId: box.getAttribute("data-note-id"), quote: full.slice(s16, e16),
             start: codePoints(full.slice(0, s16)), end: codePoints(full.slice(0, e16)),
             rect: range.getBoundingClientRect() };
  }

  function render() {
    var words = filter.value.trim().toLowerCase();
    var starts = [], contains = [];
    codes.forEach(function (code) {
      var name = code.name.toLowerCase();
      if (!words || name.indexOf(words) === 0) { starts.push(code); }
      else if ((name + " " + code.key + " " + (code.parent || "")).toLowerCase().indexOf(words) >= 0) { contains.push(code); }
    });
    shown = starts.concat(contains); // names beginning with the typed text first
    if (chosen && shown.indexOf(chosen) < 0) { chosen = null; }
    active = chosen ? shown.indexOf(chosen) : Math.min(active, Math.max(0, shown.length - 1));
    list.innerHTML = "";
    shown.forEach(function (code, index) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.setAttribute("data-key", code.key);
      item.setAttribute("aria-selected", index === active ? "true" : "false");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.setAttribute("data-colour", code.colour);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(code.name));
      if (code.parent) {
        var parent = document.createElement("span");
        parent.className = "parent";
        parent.textContent = code.parent;
        item.appendChild(parent);
      }
      item.addEventListener("mousedown", function (event) { event.preventDefault(); active = index; save(); });
      list.appendChild(item);
    });
    applyColours(list);
    var current = list.children[active];
    if (current) { current.scrollIntoView({ block: "nearest" }); }
  }

  function renderRecent() {
    recentList.innerHTML = "";
    recent.slice(0, 9).forEach(function (key, index) {
      var code = codes.find(function (c) { return c.key === key; });
      if (!code) { return; }
      var item = document.createElement("li");
      item.textContent = (index + 1) + " " + code.name;
      item.setAttribute("data-key", key);
      if (chosen === code) { item.className = "active"; }
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(code); });
      recentList.appendChild(item);
    });
  }

  function choose(code) {
    chosen = code;
    filter.value = code.name;
    render();
    renderRecent();
  }

  function open(found) {
    target = found;
    chosen = null;
    active = 0;
    filter.value = "";
    memo.value = "";
    errorBox.hidden = true;
    quoteBox.textContent = "»" + found.quote + "«";
    panel.hidden = false;
    panel.style.top = (window.scrollY + found.rect.bottom + 6) + "px";
    panel.style.left = Math.max(8, window.scrollX + Math.min(found.rect.left, window.innerWidth - 380)) + "px";
    render();
    renderRecent();
    filter.focus();
  }

  function close() {
    panel.hidden = true;
    var box = target && document.querySelector('.note-text[data-note-id="' + target.noteId + '"]');
    target = null;
    if (box) { box.closest(".entry").focus({ preventScroll: true }); }
  }

  function save() {
    var code = chosen || shown[active];
    if (!target || !code) {
      errorBox.textContent = "Vælg en kode på listen.";
      errorBox.hidden = false;
      return;
    }
    var noteWork = target.box.closest(".note-work");
    var body = new URLSearchParams({ start: target.start, slut: target.end, kode: code.key, memo: memo.value });
    var sent = target;
    fetch("/notater/" + encodeURIComponent(sent.noteId) + "/kodninger", {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (html) {
        var fresh = swapNote(noteWork, html);
        if (!fresh) {
          errorBox.textContent = "Kodningen blev ikke gemt (svar " + response.status + "). Genindlæs siden, og prøv igen.";
          errorBox.hidden = false;
          return;
        }
        if (response.ok) {
          recent = [code.key].concat(recent.filter(function (key) { return key !== code.key; })).slice(0, 9);
          panel.setAttribute("data-recent", JSON.stringify(recent));
        }
        target = { noteId: sent.noteId };
        close();
      });
    }).catch(function () {
      errorBox.textContent = "Serveren svarede ikke. Kodningen er ikke gemt; prøv igen.";
      errorBox.hidden = false;
    });
  }

  function onPanelKey(event) {
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    if (event.key === "Enter") { event.preventDefault(); save(); return; }
    if (event.target === filter && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      chosen = null;
      active = Math.max(0, Math.min(shown.length - 1, active + (event.key === "ArrowDown" ? 1 : -1)));
      Array.prototype.forEach.call(list.children, function (item, index) {
        item.setAttribute("aria-selected", index === active ? "true" : "false");
      });
      if (list.children[active]) { list.children[active].scrollIntoView({ block: "nearest" }); }
      return;
    }
    if (event.target === filter && /^[1-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      var key = recent[Number(event.key) - 1];
      var code = codes.find(function (c) { return c.key === key; });
      if (code) { event.preventDefault(); choose(code); }
    }
  }

  function setUpPanel() {
    panel = document.getElementById("kodepanel");
    if (!panel) { return; }
    document.body.appendChild(panel); // positioned against the page, not an entry
    filter = document.getElementById("kodefilter");
    memo = document.getElementById("kodememo");
    list = document.getElementById("kodeliste");
    recentList = panel.querySelector("ol.recent");
    errorBox = panel.querySelector(".panel-error");
    quoteBox = panel.querySelector(".selected-quote");
    codes = JSON.parse(panel.getAttribute("data-codes") || "[]");
    recent = JSON.parse(panel.getAttribute("data-recent") || "[]");
    filter.addEventListener("input", function () { chosen = null; active = 0; render(); renderRecent(); });
    panel.addEventListener("keydown", onPanelKey);
    panel.querySelector('[data-action="gem"]').addEventListener("click", save);
    panel.querySelector('[data-action="annuller"]').addEventListener("click", close);
    document.addEventListener("mouseup", function (event) {
      if (!panel.hidden && panel.contains(event.target)) { return; }
      window.setTimeout(function () {
        var found = selectionTarget();
        if (found) { open(found); }
      }, 0);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
      var found = selectionTarget();
      if (found) { event.preventDefault(); open(found); }
    });
    document.addEventListener("mousedown", function (event) {
      if (!panel.hidden && !panel.contains(event.target)) { panel.hidden = true; target = null; }
    });
  }

  // -- htmx: show the fragment of a conflict (409) or invalid input (400) too ----------
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status < 400) { return; }
    var html = event.detail.xhr.responseText || "";
    if (/class="note-work"|class="suggestion-row/.test(html)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    var page = document.createElement("div");
    page.innerHTML = html;
    var text = page.querySelector("main p, .message");
    var where = event.detail.target;
    if (text && where) {
      var message = document.createElement("p");
      message.className = "message error";
      message.setAttribute("role", "alert");
      message.textContent = text.textContent.trim();
      where.appendChild(message);
    }
  });

  document.addEventListener("htmx:load", function (event) { applyColours(event.target); });

  function setUpSelectAll() {
    var all = document.querySelector("[data-select-all]");
    if (!all) { return; }
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="valgt"][form="bulk"]').forEach(function (box) { box.checked = all.checked; });
    });
  }

  function start() {
    applyColours(document);
    setUpPanel();
    setUpSelectAll();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
