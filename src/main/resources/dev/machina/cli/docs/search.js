// The search of the Machina reference: runs in the browser over window.MACHINA_INDEX (search-index.js),
// with no network; "index.html?q=..." (the box in every page's header) starts with that query.
(function () {
  "use strict";
  var index = window.MACHINA_INDEX || [];
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  if (!box || !list) {
    return;
  }
  var LIMIT = 50;

  function rank(entry, q) {
    var name = entry[1].toLowerCase();
    if (name === q) return 0;
    if (name.indexOf(q) === 0) return 1;
    if (name.indexOf(q) > 0) return 2;
    if ((entry[3] || "").toLowerCase().indexOf(q) >= 0) return 3;
    return -1;
  }

  function show() {
    var q = box.value.trim().toLowerCase();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (q === "") {
      count.textContent = "";
      return;
    }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var r = rank(index[i], q);
      if (r >= 0) hits.push([r, i]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    count.textContent = hits.length === 0 ? "Nothing matches." :
      hits.length + (hits.length === 1 ? " match" : " matches") + (hits.length > LIMIT ? ", the first " + LIMIT + " shown" : "");
    for (var k = 0; k < hits.length && k < LIMIT; k++) {
      var e = index[hits[k][1]];
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e[0];
      var a = document.createElement("a");
      a.href = e[2];
      a.textContent = e[1];
      li.appendChild(kind);
      li.appendChild(a);
      if (e[3]) {
        var t = document.createElement("span");
        t.className = "text";
        t.textContent = e[3];
        li.appendChild(t);
      }
      list.appendChild(li);
    }
  }

  box.addEventListener("input", show);
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    }
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    box.value = params.get("q");
  }
  show();
}());
