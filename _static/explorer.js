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
  // The search page: a query that is a claim id opens its card; otherwise the claims whose words,
  // figures or dates match are listed above the search results, each linking to its card, with a
  // link to the explorer (which matches "20-24", "24 %" or "09.07.2023" as the text writes them).
  function searchPage() {
    var claims = window.KARABAKH_CLAIMS, results = document.getElementById("search-results");
    if (!claims || !results) return;
    var q = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (!q) return;
    var id = norm(q).replace(/\s+/g, "");
    for (var i = 0; i < claims.length; i++) {
      if (norm(claims[i][0]) === id) { window.location.replace(claims[i][1]); return; }
    }
    var terms = norm(q).split(/\s+/).filter(Boolean);
    var hits = claims.filter(function (c) { return terms.every(function (t) { return c[2].indexOf(t) >= 0; }); });
    var box = document.createElement("div");
    box.id = "claims-lookup";
    var head = document.createElement("p");
    var explorer = document.createElement("a");
    explorer.href = "chapters/22_claim_explorer.html?q=" + encodeURIComponent(q);
    explorer.textContent = "the claim explorer";
    head.appendChild(document.createTextNode(hits.length + (hits.length === 1 ? " claim matches" : " claims match") + " \u201c" + q + "\u201d; all of them in "));
    head.appendChild(explorer);
    head.appendChild(document.createTextNode("."));
    box.appendChild(head);
    var list = document.createElement("ul");
    hits.slice(0, 12).forEach(function (c) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = c[1]; a.textContent = c[3];
      li.appendChild(a); list.appendChild(li);
    });
    box.appendChild(list);
    results.parentNode.insertBefore(box, results);
  }
  // Pages with claim cards: one button folds every card to its title bar (id, type, verdict), so
  // a long chapter can be scanned on a phone; a tap on a folded card's title opens that card.
  function foldCards() {
    var cards = document.querySelectorAll("div.admonition.claim");
    if (!cards.length) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fold-cards";
    function label() {
      var folded = document.body.classList.contains("cards-folded");
      button.textContent = folded ? "Unfold all claim cards" : "Fold all claim cards";
      button.setAttribute("aria-pressed", folded ? "true" : "false");
    }
    button.addEventListener("click", function () {
      document.body.classList.toggle("cards-folded");
      Array.prototype.forEach.call(cards, function (c) { c.classList.remove("card-open"); });
      label();
    });
    Array.prototype.forEach.call(cards, function (c) {
      var title = c.querySelector(".admonition-title");
      if (title) title.addEventListener("click", function () { c.classList.toggle("card-open"); });
    });
    label();
    cards[0].parentNode.insertBefore(button, cards[0].previousElementSibling || cards[0]);
  }
  function start() { init(); searchPage(); foldCards(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
