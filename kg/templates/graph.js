// kg's network page: data from #kg-data, drawn by vis-network with precomputed positions.
// Every string from articles is untrusted: it only ever reaches the page as a text node
// (textContent / append(string)); only http(s) URLs become links.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SAFE_URL = /^https?:\/\/[^\s]+$/i;

  function el(tag, cls) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === "") continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function link(url, text) {
    if (url && SAFE_URL.test(url)) {
      var a = document.createElement("a");
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = text || url;
      return a;
    }
    return el("span", "kg-url", url || "");
  }

  var typeInfo = {}, statusInfo = {}, kindInfo = {};
  data.types.forEach(function (t) { typeInfo[t.id] = t; });
  data.statuses.forEach(function (s) { statusInfo[s.id] = s; });
  data.kinds.forEach(function (k) { kindInfo[k.id] = k; });
  var label = function (table, id) { return (table[id] && table[id].label) || id; };

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var activeTypes = new Set(data.types.map(function (t) { return t.id; }));
  var activeStatuses = new Set(data.statuses.map(function (s) { return s.id; }));
  var visibleNodes = null; // null: every node
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return activeTypes.has(e.kg.type) && activeStatuses.has(e.kg.status); }
  });
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return visibleNodes === null || visibleNodes.has(n.id); }
  });

  // vis-network empties its container: the tooltip lives beside it, in the same stage.
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);

  // ---- tooltips: DOM built from text, positioned at the pointer -------------------------
  var tip = document.getElementById("kg-tooltip");
  var pointer = { x: 0, y: 0 };
  container.addEventListener("mousemove", function (ev) {
    var r = container.getBoundingClientRect();
    pointer = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    if (tip.style.display === "block") placeTip();
  });
  function placeTip() {
    var x = pointer.x + 14, y = pointer.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > container.clientWidth) x = Math.max(0, pointer.x - w - 14);
    if (y + h > container.clientHeight) y = Math.max(0, container.clientHeight - h);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function showTip(content) {
    tip.replaceChildren(content);
    tip.style.display = "block";
    placeTip();
  }
  function hideTip() { tip.style.display = "none"; }

  function partyName(id) {
    var n = nodes.get(id);
    return n ? n.kg.name : id;
  }

  function edgeContent(edge, full) {
    var k = edge.kg;
    var box = el("div", "kg-edge");
    box.append(el("div", "kg-title", label(typeInfo, k.type)));
    box.append(el("div", null, partyName(edge.from) + " \u2013 " + partyName(edge.to)));
    box.append(el("div", null, "Status: " + label(statusInfo, k.status) + (k.date ? " (" + k.date + ")" : "")));
    if (k.conflict) box.append(el("div", "kg-conflict", "Sources disagree on the status"));
    box.append(el("div", "kg-muted", k.sources + (k.sources === 1 ? " source" : " sources")));
    var shown = full ? k.claims : k.claims.slice(0, 3);
    shown.forEach(function (c) {
      var s = el("div", "kg-source");
      s.append(el("div", "kg-title", c.article_title || c.file || "(untitled article)"));
      var meta = [c.article_date, label(statusInfo, c.status) + (c.date ? " " + c.date : "")].filter(Boolean);
      s.append(el("div", "kg-muted", meta.join(" \u00b7 ")));
      if (c.url) s.append(el("div", null, full ? link(c.url) : c.url));
      if (c.sentence) s.append(el("div", "kg-sentence", "\u201c" + c.sentence + "\u201d"));
      box.append(s);
    });
    if (!full) {
      var more = k.claims.length - shown.length;
      box.append(el("div", "kg-muted", (more > 0 ? "+" + more + " more; " : "") + "click for links"));
    }
    return box;
  }

  function nodeContent(node, full) {
    var k = node.kg;
    var box = el("div", "kg-node");
    box.append(el("div", "kg-title", k.name));
    box.append(el("div", null, "Code: " + k.code + " \u00b7 " + label(kindInfo, k.kind)));
    box.append(el("div", null, k.agreements + (k.agreements === 1 ? " agreement, " : " agreements, ") +
                                k.partners + (k.partners === 1 ? " partner" : " partners")));
    var counts = Object.keys(k.by_status).map(function (s) { return label(statusInfo, s) + ": " + k.by_status[s]; });
    if (counts.length) box.append(el("div", "kg-muted", counts.join(", ")));
    if (full && /^Q[0-9]+$/.test(k.qid || "")) {
      box.append(el("div", null, "Wikidata: ", link("https://www.wikidata.org/wiki/" + k.qid, k.qid)));
    }
    if (full) {
      var list = el("ul");
      edges.get({ filter: function (e) { return e.from === node.id || e.to === node.id; } })
        .sort(function (a, b) { return partyName(a.from === node.id ? a.to : a.from).localeCompare(partyName(b.from === node.id ? b.to : b.from)); })
        .forEach(function (e) {
          var other = e.from === node.id ? e.to : e.from;
          list.append(el("li", null, partyName(other) + ": " + label(typeInfo, e.kg.type) + ", " + label(statusInfo, e.kg.status)));
        });
      box.append(list);
    }
    return box;
  }

  var details = document.getElementById("kg-details");
  function showDetails(content) { details.replaceChildren(content); }

  network.on("hoverEdge", function (p) { var e = edges.get(p.edge); if (e) showTip(edgeContent(e, false)); });
  network.on("hoverNode", function (p) { var n = nodes.get(p.node); if (n) showTip(nodeContent(n, false)); });
  network.on("blurEdge", hideTip);
  network.on("blurNode", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  network.on("click", function (p) {
    if (p.nodes.length) showDetails(nodeContent(nodes.get(p.nodes[0]), true));
    else if (p.edges.length) showDetails(edgeContent(edges.get(p.edges[0]), true));
  });

  // ---- legend and filters ----------------------------------------------------------------
  var counts = document.getElementById("kg-counts");
  function updateCounts() {
    counts.textContent = nodeView.length + " parties \u00b7 " + edgeView.length + " agreements";
  }
  function refresh() {
    edgeView.refresh();
    var all = activeTypes.size === data.types.length && activeStatuses.size === data.statuses.length;
    if (all) {
      visibleNodes = null;
    } else {
      visibleNodes = new Set();
      edgeView.forEach(function (e) { visibleNodes.add(e.from); visibleNodes.add(e.to); });
    }
    nodeView.refresh();
    updateCounts();
  }

  var SVG = "http://www.w3.org/2000/svg";
  function swatchLine(color, dashes) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "10");
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5");
    line.setAttribute("x2", "33"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", "3");
    if (Array.isArray(dashes)) line.setAttribute("stroke-dasharray", dashes.join(" "));
    svg.append(line);
    return svg;
  }
  function swatchNode(kind) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    var shape = document.createElementNS(SVG, kind.shape === "dot" ? "circle" : "polygon");
    if (kind.shape === "dot") {
      shape.setAttribute("cx", "8"); shape.setAttribute("cy", "8"); shape.setAttribute("r", "6");
    } else {
      shape.setAttribute("points", "8,1 15,8 8,15 1,8");
    }
    shape.setAttribute("fill", kind.color);
    svg.append(shape);
    return svg;
  }
  function filterRow(info, active, swatch, kindName) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.filter = kindName;
    box.dataset.value = info.id;
    box.addEventListener("change", function () {
      if (box.checked) active.add(info.id); else active.delete(info.id);
      refresh();
    });
    return el("label", null, box, swatch, info.label, el("span", "n", String(info.count)));
  }
  var legendKinds = document.getElementById("kg-legend-kinds");
  data.kinds.forEach(function (k) { legendKinds.append(el("label", null, swatchNode(k), k.label, el("span", "n", String(k.count)))); });
  var legendTypes = document.getElementById("kg-legend-types");
  data.types.forEach(function (t) { legendTypes.append(filterRow(t, activeTypes, swatchLine(t.color, false), "type")); });
  var legendStatuses = document.getElementById("kg-legend-statuses");
  data.statuses.forEach(function (s) { legendStatuses.append(filterRow(s, activeStatuses, swatchLine(s.grey ? data.grey : "#444", s.dashes), "status")); });

  // ---- party search ----------------------------------------------------------------------
  var list = document.getElementById("kg-parties");
  data.nodes.slice().sort(function (a, b) { return a.kg.name.localeCompare(b.kg.name); }).forEach(function (n) {
    var o = document.createElement("option");
    o.value = n.kg.name + " (" + n.id + ")";
    list.append(o);
  });
  var msg = document.getElementById("kg-search-msg");
  function findParty(q) {
    q = (q || "").trim().toLowerCase();
    if (!q) return null;
    var all = data.nodes, i;
    var exact = [function (n) { return n.id.toLowerCase() === q; },
                 function (n) { return (n.kg.name + " (" + n.id + ")").toLowerCase() === q; },
                 function (n) { return n.kg.name.toLowerCase() === q; },
                 function (n) { return n.kg.name.toLowerCase().indexOf(q) >= 0; }];
    for (i = 0; i < exact.length; i++) {
      var hit = all.filter(exact[i]);
      if (hit.length) return hit[0].id;
    }
    return null;
  }
  function search(q) {
    var id = findParty(q);
    if (id === null || !nodeView.get(id)) {
      msg.textContent = q ? "no party matches" : "";
      return null;
    }
    msg.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 300 } });
    showDetails(nodeContent(nodes.get(id), true));
    return id;
  }
  var input = document.getElementById("kg-search");
  input.addEventListener("change", function () { search(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(input.value); });

  updateCounts();
  network.once("afterDrawing", function () {
    window.kgReadyMs = performance.now();
    window.kgReady = true;
    document.body.dataset.ready = "true";
  });
  network.fit({ animation: false });

  window.kg = {
    data: data, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    network: network, search: search, refresh: refresh,
    setFilter: function (kind, id, on) {
      var box = document.querySelector('input[data-filter="' + kind + '"][data-value="' + id + '"]');
      if (box && box.checked !== on) box.click();
    }
  };
})();
