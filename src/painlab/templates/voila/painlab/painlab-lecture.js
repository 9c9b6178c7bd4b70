/* painlab lecture app (make present): keyboard navigation and accessible slider names.
   Included by index.html.j2 into the Voila page; nothing is loaded from the network.

   Keys (ignored while typing in a field or moving a slider):
     ArrowRight / PageDown / N  next segment        ArrowLeft / PageUp / P  previous
     R  reveal or hide the result                   Q  ConcepTest on or off
   Presentation clickers send PageDown / PageUp, so they work too. */
(function () {
  "use strict";

  var KEYS = {
    ArrowRight: ".painlab-next",
    PageDown: ".painlab-next",
    n: ".painlab-next",
    ArrowLeft: ".painlab-previous",
    PageUp: ".painlab-previous",
    p: ".painlab-previous",
    r: ".painlab-reveal",
    q: ".painlab-conceptest-toggle",
  };

  function typing(el) {
    if (!el || el === document.body) return false;
    var tag = (el.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return true;
    if (el.isContentEditable) return true;
    var role = el.getAttribute && el.getAttribute("role");
    return role === "slider" || role === "spinbutton";
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var selector = KEYS[key];
    if (!selector) return;
    var button = document.querySelector("button" + selector);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });

  /* ipywidgets' slider handles have role="slider" but no accessible name (axe-core
     aria-input-field-name): give each the text of its widget's label. */
  function nameSliders(root) {
    var handles = root.querySelectorAll(".widget-slider .noUi-handle[role='slider'], " +
      ".widget-slider [role='slider']");
    for (var i = 0; i < handles.length; i++) {
      var h = handles[i];
      var box = h.closest(".widget-slider");
      var label = box && box.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      if (text && h.getAttribute("aria-label") !== text) h.setAttribute("aria-label", text);
    }
  }

  /* A figure drawn while its view was not yet in the page (a segment shown for the first
     time) takes plotly's default width; a window "resize" makes every figure fit its box
     again (plotly's widgets redraw on it). Sent once per new set of figures. */
  var plots = 0;
  function fitNewPlots() {
    var n = document.querySelectorAll(".painlab-lecture .js-plotly-plot").length;
    if (n !== plots) {
      plots = n;
      window.dispatchEvent(new Event("resize"));
    }
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      nameSliders(document);
      fitNewPlots();
    });
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
})();
