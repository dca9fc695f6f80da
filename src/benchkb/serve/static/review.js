// Marking a missed number: select it in the abstract, and the form below the abstract takes its span.
// Offsets count code points, as Python's str does, so that abstract[start:end] on the server is the selection.
(function () {
  "use strict";
  const abstract = document.getElementById("abstract");
  const panel = document.getElementById("missed");
  if (!abstract || !panel) { return; }
  const length = function (text) { return Array.from(text).length; };

  function takeSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    const range = selection.getRangeAt(0);
    if (!abstract.contains(range.startContainer) || !abstract.contains(range.endContainer)) { return; }
    const before = document.createRange();
    before.setStart(abstract, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const raw = range.toString();
    const text = raw.trim();
    if (!text) { return; }
    const start = length(before.toString()) + length(raw.slice(0, raw.length - raw.trimStart().length));
    panel.querySelector("input[name=start]").value = start;
    panel.querySelector("input[name=end]").value = start + length(text);
    panel.querySelector("input[name=text]").value = text;
    panel.querySelector(".selected").textContent = text;
    const number = text.replace(/,/g, "").match(/[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?/);
    panel.querySelector("input[name=value]").value = number ? number[0] : "";
    panel.hidden = false;
  }

  abstract.addEventListener("mouseup", takeSelection);
  abstract.addEventListener("keyup", takeSelection);
})();
