// Vigie: shows possible duplicates while a victim's name is typed. The
// same check runs on the server when the step is posted, so the page
// works without this script.
(function () {
  "use strict";
  var box = document.getElementById("dupes-live");
  if (!box || !window.fetch) { return; }
  var ids = ["f-prs_FirstName", "f-prs_MiddleName", "f-prs_SecondName"];
  var timer = null, last = "";
  function name() {
    return ids.map(function (id) {
      var e = document.getElementById(id);
      return e ? e.value : "";
    }).join(" ").trim();
  }
  function show(cases) {
    box.textContent = "";
    if (!cases || !cases.length) { return; }
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(box.getAttribute("data-found")));
    cases.forEach(function (n, i) {
      if (i) { p.appendChild(document.createTextNode(", ")); }
      var a = document.createElement("a");
      a.href = "/cases/" + encodeURIComponent(n);
      a.textContent = n;
      p.appendChild(a);
    });
    box.appendChild(p);
  }
  function check() {
    var n = name();
    if (n === last) { return; }
    last = n;
    if (n.length < 2) { show([]); return; }
    var tok = document.querySelector("input[name=csrf_token]");
    if (!tok) { return; }
    var body = new URLSearchParams();
    body.set("name", n);
    body.set("csrf_token", tok.value);
    // POST: a victim's name must never be in a URL (history, proxy logs).
    fetch("/registration/duplicates", {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j && n === last) { show(j.cases); } })
      .catch(function () {});
  }
  ids.forEach(function (id) {
    var e = document.getElementById(id);
    if (e) {
      e.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(check, 600);
      });
    }
  });
})();
