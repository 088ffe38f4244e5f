// Claim explorer: filters the table of every claim by one text box and four selects.
// Runs offline (file://), no library; does nothing on pages without the explorer.
(function () {
  function norm(s) { return (s || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  function init() {
    var root = document.getElementById("claims-explorer");
    if (!root) return;
    var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr"));
    var box = root.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-field]"));
    var count = root.querySelector(".explorer-count");
    function apply() {
      var terms = norm(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (tr) {
        var hay = tr.getAttribute("data-search");
        var ok = terms.every(function (t) { return hay.indexOf(t) >= 0; });
        selects.forEach(function (s) {
          if (ok && s.value && tr.getAttribute("data-" + s.getAttribute("data-field")) !== s.value) ok = false;
        });
        tr.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + rows.length + " claims shown";
    }
    box.addEventListener("input", apply);
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) box.value = q;
    apply();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
