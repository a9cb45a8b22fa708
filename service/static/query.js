// The SPARQL query page: examples, running a query with fetch, results as a table.
// Our own code, no library, works with no internet access.
(function () {
  "use strict";
  var form = document.getElementById("qform");
  var text = document.getElementById("query");
  var select = document.getElementById("examples");
  var fmt = document.getElementById("format");
  var out = document.getElementById("results");
  var status = document.getElementById("status");
  var examples = [];
  // messages in the page's language, from the form's data-msg-* attributes (English default)
  function msg(name, fallback, values) {
    var text = form.getAttribute("data-msg-" + name) || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  var pageLang = new URLSearchParams(location.search).get("lang");

  fetch("/sparql/examples.json" + (pageLang ? "?lang=" + encodeURIComponent(pageLang) : ""))
    .then(function (r) { return r.json(); }).then(function (list) {
    examples = list;
    list.forEach(function (ex, i) {
      var o = document.createElement("option");
      o.value = String(i); o.textContent = ex.title; o.title = ex.description || "";
      select.appendChild(o);
    });
    var want = new URLSearchParams(location.search).get("example");
    if (want !== null && list[Number(want)]) { select.value = want; text.value = list[Number(want)].query; }
  });
  select.addEventListener("change", function () {
    if (select.value !== "") { text.value = examples[Number(select.value)].query; }
  });

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = term.value.replace(/^https:\/\/w3id\.org\/resograph\//, "/");
      if (pageLang && a.href.indexOf(location.origin + "/") === 0 && a.href.indexOf("?") < 0) {
        a.href += "?lang=" + encodeURIComponent(pageLang);
      }
      a.textContent = term.value; td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.lang = term["xml:lang"]; }
    }
    return td;
  }

  function table(data) {
    var t = document.createElement("table");
    var head = document.createElement("tr");
    data.head.vars.forEach(function (v) {
      var th = document.createElement("th"); th.textContent = "?" + v; head.appendChild(th);
    });
    t.appendChild(head);
    data.results.bindings.forEach(function (b) {
      var tr = document.createElement("tr");
      data.head.vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
      t.appendChild(tr);
    });
    return t;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = new URLSearchParams({ query: text.value });
    var wanted = fmt.value;
    if (wanted) { body.set("format", wanted); }
    var accept = wanted ? "*/*" : "application/sparql-results+json, text/turtle;q=0.9";
    status.textContent = msg("running", "running…");
    var t0 = performance.now();
    fetch("/sparql", { method: "POST", body: body, headers: { "Accept": accept } })
      .then(function (r) {
        return r.text().then(function (txt) { return { r: r, txt: txt }; });
      })
      .then(function (res) {
        var ms = Math.round(performance.now() - t0);
        out.textContent = "";
        if (!res.r.ok) {
          status.textContent = msg("error", "error {status} ({ms} ms)", { status: res.r.status, ms: ms });
          var pre = document.createElement("pre"); pre.className = "error";
          pre.textContent = res.txt; out.appendChild(pre); return;
        }
        var type = res.r.headers.get("Content-Type") || "";
        if (!wanted && type.indexOf("sparql-results+json") >= 0) {
          var data = JSON.parse(res.txt);
          if (data.boolean !== undefined) {
            status.textContent = msg("answer", "answer: {answer} ({ms} ms)",
                                    { answer: data.boolean, ms: ms });
            return;
          }
          status.textContent = msg("rows", "{n} rows ({ms} ms)",
                                  { n: data.results.bindings.length, ms: ms });
          out.appendChild(table(data));
        } else {
          status.textContent = type.split(";")[0] + " (" + ms + " ms)";
          var p = document.createElement("pre"); p.textContent = res.txt; out.appendChild(p);
        }
      })
      .catch(function (e) { status.textContent = msg("failed", "failed: {reason}", { reason: e }); });
  });
})();
