// kg serve's query page: pick a shipped query or write one, run it on this server's SPARQL
// endpoint (/query), see the results as a table. Every string that comes from the store or the
// server goes into the page as text (textContent), never as markup.
"use strict";
(function () {
  const MAX_ROWS = 1000; // a bigger table takes long to draw; the endpoint gives all rows
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const query = document.getElementById("kg-query");
  const picker = document.getElementById("kg-example");
  const about = document.getElementById("kg-about");
  const bound = document.getElementById("kg-bound");
  const status = document.getElementById("kg-status");
  const results = document.getElementById("kg-results");
  const prefixes = Object.entries(data.prefixes);

  function element(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function say(text, error) {
    status.textContent = text;
    status.classList.toggle("kg-error", Boolean(error));
  }

  // An IRI as a prefixed name when one of kg's prefixes fits.
  function shortIri(iri) {
    for (const [prefix, base] of prefixes) {
      if (iri.startsWith(base) && iri.length > base.length) return prefix + ":" + iri.slice(base.length);
    }
    return iri;
  }

  function cell(term) {
    const td = element("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.textContent = shortIri(term.value);
      td.title = term.value;
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function showSolutions(json) {
    const vars = json.head.vars || [];
    const rows = json.results.bindings;
    const table = element("table");
    const head = element("tr");
    for (const name of vars) head.appendChild(element("th", name));
    table.appendChild(element("thead")).appendChild(head);
    const body = table.appendChild(element("tbody"));
    for (const row of rows.slice(0, MAX_ROWS)) {
      const tr = body.appendChild(element("tr"));
      for (const name of vars) tr.appendChild(cell(row[name]));
    }
    results.appendChild(table);
    return rows.length > MAX_ROWS ? `${rows.length} rows (the first ${MAX_ROWS} shown)` : `${rows.length} row(s)`;
  }

  async function run() {
    results.replaceChildren();
    say("running...");
    const started = performance.now();
    let response;
    let body;
    try {
      response = await fetch("query", {
        method: "POST",
        headers: {"Content-Type": "application/sparql-query",
                  "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
        body: query.value,
      });
      body = await response.text();
    } catch (error) {
      say("the server did not answer (is kg serve still running?): " + error.message, true);
      return;
    }
    if (!response.ok) {
      say(`${response.status}: ${body.trim()}`, true);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    let summary;
    if ((response.headers.get("Content-Type") || "").startsWith("application/sparql-results+json")) {
      const json = JSON.parse(body);
      if ("boolean" in json) {
        results.appendChild(element("p", String(json.boolean)));
        summary = "ASK";
      } else {
        summary = showSolutions(json);
      }
    } else {
      results.appendChild(element("pre", body));
      summary = "triples (Turtle)";
    }
    say(`${summary} in ${seconds} s`);
  }

  for (const item of data.examples) {
    const option = element("option", item.name);
    option.value = item.name;
    picker.appendChild(option);
  }
  picker.addEventListener("change", () => {
    const item = data.examples.find((e) => e.name === picker.value);
    if (!item) return;
    query.value = item.text;
    about.textContent = item.about;
    // A required parameter is bound to the query's example value: say so, it is to be edited.
    bound.textContent = item.bound;
    bound.hidden = !item.bound;
  });
  document.getElementById("kg-run").addEventListener("click", run);
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  query.value = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20";
  window.kgReady = true;
})();
