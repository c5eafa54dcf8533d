// kg's network page: data from #kg-data, drawn by vis-network with precomputed positions.
// Every string from articles is untrusted: it only ever reaches the page as a text node
// (textContent / append(string)); only http(s) URLs become links.
// Time: each agreement carries its history as kg.model.history computed it (kg.h: [day index,
// status index, conflict, date] per change), its number of sources through time (kg.s: [day
// index, sources] per change) and the day index each claim was told (claim.told); the page only
// picks the last change on or before the slider's day, so the rules stay in Python.
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
  var plural = function (n, one, many) { return n + " " + (n === 1 ? one : many); };

  // ---- time --------------------------------------------------------------------------------
  // Position p of the slider: the changes of days[0 .. p-1] (and of no day) are told;
  // p = days.length is every report, the graph as built.
  var days = data.days;
  var position = days.length;
  // What each edge of data.edges shows now: its status change (at), its sources change (sat)
  // and whether it wears the conflict mark.
  var drawn = data.edges.map(function (e) {
    e.kg.at = e.kg.h.length - 1;
    e.kg.sat = e.kg.s.length - 1;
    return { at: e.kg.at, sat: e.kg.sat, marked: e.kg.conflict };
  });

  // changesOn[d]: the indexes into data.edges of the agreements with a change (status or
  // sources) told on day d. A slider move looks only at the days it passes over, so a move of one
  // day costs what changes on that day, not the size of the graph.
  var changesOn = days.map(function () { return []; });
  data.edges.forEach(function (e, i) {
    e.kg.h.concat(e.kg.s).forEach(function (c) {
      var list = changesOn[c[0]];
      if (list && list[list.length - 1] !== i) list.push(i);
    });
  });
  var edgeIndex = {}, partyEdgeIds = {};
  data.nodes.forEach(function (n) { partyEdgeIds[n.id] = []; });
  data.edges.forEach(function (e, i) {
    edgeIndex[e.id] = i;
    partyEdgeIds[e.from].push(e.id);
    if (e.to !== e.from) partyEdgeIds[e.to].push(e.id);
  });

  // The index of the last change of `h` ([day index, ...] each) told at position p, or -1.
  function changeAt(h, p) {
    var at = -1;
    for (var i = 0; i < h.length && h[i][0] < p; i++) at = i;
    return at;
  }
  function toldAt(claim, p) { return claim.told < p; }

  // The edge as change `at` of its history and `sat` of its sources tell it (at -1: not yet
  // told, hidden); `now` is what it shows before. Only what changed is styled again.
  function edgeState(base, at, sat, now) {
    var kg = Object.assign({}, base.kg, { at: at, sat: sat });
    var item = { id: base.id, kg: kg };
    var restyle = at !== now.at, resize = sat !== now.sat;
    now.at = at;
    now.sat = sat;
    if (at < 0) {
      // Not told yet: no status, so nothing to disagree on, and no source (kg.status stays for
      // the filters, which hide the edge by its at).
      kg.conflict = false;
      kg.sources = 0;
      return item;
    }
    var change = base.kg.h[at], status = data.statuses[change[1]];
    kg.status = status.id;
    kg.conflict = change[2] === 1;
    kg.date = change[3];
    kg.sources = base.kg.s[sat][1];
    if (resize) item.width = data.widths[kg.sources];
    if (restyle) {
      var color = status.color || typeInfo[kg.type].color;
      item.color = { color: color, highlight: color, hover: color };
      item.dashes = status.dashes;
    }
    if (kg.conflict !== now.marked) {
      // vis-network keeps an edge's last label when given null or "": a blank one hides it.
      // Edges never marked get no label at all: labels cost time on every drawing.
      item.label = kg.conflict ? data.conflict.label : " ";
      item.font = kg.conflict ? data.conflict.font : null;
      item.shadow = kg.conflict ? data.conflict.shadow : { enabled: false };
      now.marked = kg.conflict;
    }
    return item;
  }

  function dayText(p) {
    if (!days.length) return "all reports";
    if (p >= days.length) return "all reports (to " + days[days.length - 1] + ")";
    if (p === 0) return "before " + days[0];
    return days[p - 1];
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var activeTypes = new Set(data.types.map(function (t) { return t.id; }));
  var activeStatuses = new Set(data.statuses.map(function (s) { return s.id; }));
  var conflictsOnly = false;
  var everyNode = true; // every party shown, even one with no agreement shown (the graph as built)
  var shownDegree = {}; // per party, its agreements the edge view shows
  var arriving = new Set(); // parties of agreements about to be shown (see showNodes)
  // The filters as ticked in the legend (above) and as the edge view applies them: vis-network
  // asks the view's filter anew whenever its data changes (to find edges it lacks), so the boxes
  // reach the view only once the parties they bring are shown (refresh).
  function tickedFilters() {
    return { types: new Set(activeTypes), statuses: new Set(activeStatuses), conflictsOnly: conflictsOnly };
  }
  var applied = tickedFilters();
  // Whether filters `f` show an agreement (told by the slider's day).
  function passes(e, f) {
    return e.kg.at >= 0 && f.types.has(e.kg.type) && f.statuses.has(e.kg.status) &&
           (!f.conflictsOnly || e.kg.conflict);
  }
  var edgeView = new vis.DataView(edges, { filter: function (e) { return passes(e, applied); } });
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return everyNode || shownDegree[n.id] > 0 || arriving.has(n.id); }
  });
  // The view's own add and remove events keep shownDegree, so a change costs what it changes.
  function countShown(ids, step) {
    ids.forEach(function (id) {
      var e = data.edges[edgeIndex[id]];
      shownDegree[e.from] = (shownDegree[e.from] || 0) + step;
      if (e.to !== e.from) shownDegree[e.to] = (shownDegree[e.to] || 0) + step;
    });
  }
  countShown(edgeView.getIds(), 1);
  edgeView.on("add", function (event, props) { countShown(props.items, 1); });
  edgeView.on("remove", function (event, props) { countShown(props.items, -1); });

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

  // A claim's source: its article's title, else its file path.
  function sourceName(c) { return c.article_title || c.file || "(untitled article)"; }

  // A claim in the side panel (full) or, in two lines, in the tooltip (no address or sentence
  // there: a tooltip that hides the graph around the pointer is in the way).
  var TIP_CLAIMS = 2;
  function claimBlock(c, full) {
    var s = el("div", "kg-source");
    s.append(el("div", "kg-title", sourceName(c)));
    var meta = [c.article_date, label(statusInfo, c.status) + (c.date ? " " + c.date : "")].filter(Boolean);
    s.append(el("div", "kg-muted", meta.join(" \u00b7 ")));
    if (!full) return s;
    if (c.url) s.append(el("div", null, link(c.url)));
    if (c.sentence) s.append(el("div", "kg-sentence", "\u201c" + c.sentence + "\u201d"));
    return s;
  }

  // Both sides of a conflict: the claims told by the slider's day grouped by the status they report.
  function conflictSides(told) {
    var box = el("div", "kg-sides");
    data.statuses.forEach(function (s) {
      var side = told.filter(function (c) { return c.status === s.id; });
      if (!side.length) return;
      var list = el("ul");
      side.forEach(function (c) { list.append(el("li", null, sourceName(c) + (c.article_date ? " (" + c.article_date + ")" : ""))); });
      box.append(el("div", "kg-side", el("div", "kg-title", s.label + ": " + plural(side.length, "claim", "claims")), list));
    });
    return box;
  }

  // How the status changed as the articles told it, up to the slider's day: the day it was
  // told, the status, and the status's own date in brackets when it is another day.
  function historyList(k) {
    var list = el("ol", "kg-history");
    k.h.forEach(function (change, i) {
      var day = change[0] < 0 ? "any date" : days[change[0]];
      var item = el("li", i > k.at ? "kg-later" : null,
                    day + ": " + data.statuses[change[1]].label +
                    (change[3] && change[3] !== day ? " (" + change[3] + ")" : ""),
                    change[2] ? el("span", "kg-conflict", " (sources disagree)") : null);
      list.append(item);
    });
    return list;
  }

  // The status the slider's day gives an agreement, and by when: none if no article had told it.
  function statusText(k) {
    var by = position === 0 ? " before " + days[0] : " by " + dayText(position);
    if (k.at < 0) return "not reported" + by;
    return label(statusInfo, k.status) + (k.date ? " (" + k.date + ")" : "") +
           (position < days.length ? ", as reported" + by : "");
  }

  // An agreement as the articles published by the slider's day tell it: the tooltip (full
  // false) names its first claims, the side panel all of them and, greyed, the ones told later.
  function edgeContent(edge, full) {
    var k = edge.kg;
    var told = k.claims.filter(function (c) { return toldAt(c, position); });
    var later = k.claims.filter(function (c) { return !toldAt(c, position); });
    var box = el("div", "kg-edge");
    box.append(el("div", "kg-title", label(typeInfo, k.type)));
    box.append(el("div", null, partyName(edge.from) + " \u2013 " + partyName(edge.to)));
    box.append(el("div", null, "Status: " + statusText(k)));
    if (k.conflict) box.append(el("div", "kg-conflict", "Sources disagree on the status"));
    box.append(el("div", "kg-muted", plural(k.sources, "source", "sources") +
                                     (later.length ? " \u00b7 told later: " + later.length : "")));
    if (!full) {
      told.slice(0, TIP_CLAIMS).forEach(function (c) { box.append(claimBlock(c, false)); });
      var more = told.length - TIP_CLAIMS;
      box.append(el("div", "kg-muted", (more > 0 ? "+" + more + " more; " : "") + "click for the sentences and history"));
      return box;
    }
    if (k.conflict) box.append(el("h3", null, "Both sides"), conflictSides(told));
    box.append(el("h3", null, "History"), historyList(k));
    box.append(el("h3", null, "Claims, in the order they were told"));
    told.forEach(function (c) { box.append(claimBlock(c, true)); });
    if (later.length) {
      var rest = el("div", "kg-later");
      rest.append(el("h3", null, "Told later: " + later.length));
      later.forEach(function (c) { rest.append(claimBlock(c, true)); });
      box.append(rest);
    }
    return box;
  }

  // A party's agreements told by the slider's day (whatever the legend filters show).
  function partyEdges(id) {
    return edges.get(partyEdgeIds[id] || []).filter(function (e) { return e.kg.at >= 0; });
  }

  function nodeContent(node, full) {
    var k = node.kg, own = partyEdges(node.id);
    var partners = new Set(own.map(function (e) { return e.from === node.id ? e.to : e.from; }));
    var byStatus = {};
    own.forEach(function (e) { byStatus[e.kg.status] = (byStatus[e.kg.status] || 0) + 1; });
    var box = el("div", "kg-node");
    box.append(el("div", "kg-title", k.name));
    box.append(el("div", null, "Code: " + k.code + " \u00b7 " + label(kindInfo, k.kind)));
    box.append(el("div", null, plural(own.length, "agreement", "agreements") + ", " + plural(partners.size, "partner", "partners")));
    var counts = data.statuses.filter(function (s) { return byStatus[s.id]; })
      .map(function (s) { return s.label + ": " + byStatus[s.id]; });
    if (counts.length) box.append(el("div", "kg-muted", counts.join(", ")));
    if (full && /^Q[0-9]+$/.test(k.qid || "")) {
      box.append(el("div", null, "Wikidata: ", link("https://www.wikidata.org/wiki/" + k.qid, k.qid)));
    }
    if (full) {
      var list = el("ul");
      var other = function (e) { return partyName(e.from === node.id ? e.to : e.from); };
      own.sort(function (a, b) { return other(a).localeCompare(other(b)); }).forEach(function (e) {
        list.append(el("li", null, other(e) + ": " + label(typeInfo, e.kg.type) + ", " + label(statusInfo, e.kg.status),
                       e.kg.conflict ? el("span", "kg-conflict", " !") : null));
      });
      box.append(list);
    }
    return box;
  }

  var details = document.getElementById("kg-details");
  var hint = details.firstElementChild.cloneNode(true); // what the panel says before any click
  var shown = null; // what the side panel describes: {node: id}, {edge: id} or {matches: query}
  function showDetails(content, what) { details.replaceChildren(content); shown = what || null; }
  // On a small screen the details are below the legend: scroll the side panel (only it, not a
  // notebook page around the frame) to them, just below the slider that stays on top.
  var when = document.getElementById("kg-when");
  function revealDetails() {
    var aside = details.parentElement;
    var top = details.getBoundingClientRect().top - aside.getBoundingClientRect().top;
    if (top > aside.clientHeight / 2) aside.scrollTop += top - when.offsetHeight - 8;
  }
  // The panel and the tooltip tell the slider's day: after a move, both are written again (the
  // tooltip of an agreement or party the move hid goes away).
  var hovered = null;
  function redescribe() {
    if (shown && shown.edge && edges.get(shown.edge)) showDetails(edgeContent(edges.get(shown.edge), true), shown);
    else if (shown && shown.node && nodes.get(shown.node)) showDetails(nodeContent(nodes.get(shown.node), true), shown);
    if (hovered && hovered.edge && edgeView.get(hovered.edge)) showTip(edgeContent(edges.get(hovered.edge), false));
    else if (hovered && hovered.node && nodeView.get(hovered.node)) showTip(nodeContent(nodes.get(hovered.node), false));
    else unhover();
  }
  function unhover() { hovered = null; hideTip(); }

  network.on("hoverEdge", function (p) {
    var e = edges.get(p.edge);
    if (e) { hovered = { edge: p.edge }; showTip(edgeContent(e, false)); }
  });
  network.on("hoverNode", function (p) {
    var n = nodes.get(p.node);
    if (n) { hovered = { node: p.node }; showTip(nodeContent(n, false)); }
  });
  network.on("blurEdge", unhover);
  network.on("blurNode", unhover);
  network.on("dragStart", unhover);
  network.on("zoom", unhover);
  network.on("click", function (p) {
    if (p.nodes.length) showDetails(nodeContent(nodes.get(p.nodes[0]), true), { node: p.nodes[0] });
    else if (p.edges.length) showDetails(edgeContent(edges.get(p.edges[0]), true), { edge: p.edges[0] });
    else return;
    revealDetails();
  });

  // ---- legend and filters ----------------------------------------------------------------
  var counts = document.getElementById("kg-counts");
  var legendCounts = { kind: {}, type: {}, status: {}, conflict: {} };
  // What the legend counts: the agreements told by the slider's day by type, status and
  // conflict, and the parties with one of them (every party at all reports). Kept change by
  // change (tally), so that a move does not count the whole graph again.
  var toldCounts = { kind: {}, type: {}, status: {}, conflict: { conflict: 0 } }, allKinds = {};
  var kindOf = {}, toldDegree = {};
  function bump(table, key, step) { table[key] = (table[key] || 0) + step; }
  data.nodes.forEach(function (n) { kindOf[n.id] = n.kg.kind; bump(allKinds, n.kg.kind, 1); });
  // Count (step 1) or uncount (step -1) an agreement as change `at` of its history tells it.
  function tally(base, at, step) {
    if (at < 0) return;
    var change = base.kg.h[at];
    bump(toldCounts.type, base.kg.type, step);
    bump(toldCounts.status, data.statuses[change[1]].id, step);
    if (change[2] === 1) toldCounts.conflict.conflict += step;
    (base.to === base.from ? [base.from] : [base.from, base.to]).forEach(function (id) {
      var before = toldDegree[id] || 0;
      toldDegree[id] = before + step;
      if ((before > 0) !== (toldDegree[id] > 0)) bump(toldCounts.kind, kindOf[id], step);
    });
  }
  data.edges.forEach(function (e, i) { tally(e, drawn[i].at, 1); });
  // A blank canvas says why: the graph has no agreement, none was told by the slider's day, or
  // the legend's filters leave none.
  var empty = document.getElementById("kg-empty");
  function updateCounts() {
    counts.textContent = plural(nodeView.length, "party", "parties") + " \u00b7 " +
                         plural(edgeView.length, "agreement", "agreements");
    empty.hidden = edgeView.length > 0 || nodeView.length > 0;
    empty.textContent = !data.edges.length ? "No agreement in this graph." :
      filtering() ? "No agreement matches the filters (" + dayText(position) + ")." :
      "No agreement was reported " + (position === 0 ? "before " + days[0] : "by " + dayText(position)) + ".";
    var tables = { kind: position >= days.length ? allKinds : toldCounts.kind, type: toldCounts.type,
                   status: toldCounts.status, conflict: toldCounts.conflict };
    Object.keys(legendCounts).forEach(function (group) {
      Object.keys(legendCounts[group]).forEach(function (id) {
        legendCounts[group][id].textContent = String(tables[group][id] || 0);
      });
    });
  }
  // vis-network draws the whole graph again after every change to its data (with physics off,
  // at once): hold its drawing while a move or a filter changes many items, then draw once.
  // (_blockRedraw and _allowRedraw are the events its own stabilisation uses for this.)
  function quietly(change) {
    network.body.emitter.emit("_blockRedraw");
    try {
      change();
    } finally {
      network.body.emitter.emit("_allowRedraw");
      network.redraw();
    }
  }
  // The parties to show: every one for the graph as built, else those with an agreement shown
  // and those of the agreements `bringing` (ids of data.edges) that are about to be shown.
  // vis-network drops an edge whose party it does not draw, and builds it again when the party
  // comes: parties first, or a move that shows 10,000 agreements builds each of them twice.
  function filtering() {
    return conflictsOnly || activeTypes.size !== data.types.length || activeStatuses.size !== data.statuses.length;
  }
  function showNodes(bringing) {
    everyNode = position >= days.length && !filtering();
    arriving = new Set();
    (bringing || []).forEach(function (id) {
      var e = data.edges[edgeIndex[id]];
      arriving.add(e.from);
      arriving.add(e.to);
    });
    nodeView.refresh();
  }
  function refresh() {
    quietly(function () {
      var ticked = tickedFilters();
      showNodes(edges.getIds({ filter: function (e) { return passes(e, ticked); } }));
      applied = ticked;
      edgeView.refresh();
      showNodes();
    });
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
  function swatchBadge() {
    var font = data.conflict.font;
    var badge = el("span", "kg-badge", data.conflict.label.trim());
    badge.style.background = font.background;
    badge.style.color = font.color;
    return badge;
  }
  function countCell(group, info) {
    var n = el("span", "n", String(info.count));
    legendCounts[group][info.id] = n;
    return n;
  }
  function checkbox(kindName, value, checked, onChange) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = checked;
    box.dataset.filter = kindName;
    box.dataset.value = value;
    box.addEventListener("change", function () { onChange(box.checked); refresh(); });
    return box;
  }
  function filterRow(info, active, swatch, kindName) {
    var box = checkbox(kindName, info.id, true, function (on) { if (on) active.add(info.id); else active.delete(info.id); });
    return el("label", null, box, swatch, info.label, countCell(kindName, info));
  }
  var legendKinds = document.getElementById("kg-legend-kinds");
  data.kinds.forEach(function (k) { legendKinds.append(el("label", null, swatchNode(k), k.label, countCell("kind", k))); });
  var legendTypes = document.getElementById("kg-legend-types");
  data.types.forEach(function (t) { legendTypes.append(filterRow(t, activeTypes, swatchLine(t.color, false), "type")); });
  var legendStatuses = document.getElementById("kg-legend-statuses");
  data.statuses.forEach(function (s) { legendStatuses.append(filterRow(s, activeStatuses, swatchLine(s.color || "#444", s.dashes), "status")); });
  var conflictRow = { id: "conflict", count: 0 };
  document.getElementById("kg-legend-conflicts").append(el("label", null,
    checkbox("conflict", "conflict", false, function (on) { conflictsOnly = on; }),
    swatchBadge(), "Sources disagree (only these)", countCell("conflict", conflictRow)));

  // ---- the date slider ---------------------------------------------------------------------
  var slider = document.getElementById("kg-slider");
  var dayOut = document.getElementById("kg-day");
  var play = document.getElementById("kg-play");
  var timer = null;

  // The slider at p, its day written beside it and given to screen readers (not the bare index).
  function showDay(p) {
    slider.value = String(p);
    dayOut.textContent = dayText(p);
    slider.setAttribute("aria-valuetext", dayText(p));
  }
  var visited = data.edges.map(function () { return -1; }), moves = 0;
  function setPosition(p) {
    p = Math.max(0, Math.min(days.length, p | 0));
    var first = Math.min(p, position), last = Math.max(p, position);
    position = p;
    showDay(p);
    // Only agreements with a change on a day between the old and the new position can differ.
    var changed = [], move = ++moves;
    for (var d = first; d < last; d++) {
      changesOn[d].forEach(function (i) {
        if (visited[i] === move) return;
        visited[i] = move;
        var base = data.edges[i], at = changeAt(base.kg.h, p), sat = changeAt(base.kg.s, p);
        if (at === drawn[i].at && sat === drawn[i].sat) return;
        tally(base, drawn[i].at, -1);
        tally(base, at, 1);
        changed.push(edgeState(base, at, sat, drawn[i]));
      });
    }
    quietly(function () {
      showNodes(changed.filter(function (e) { return passes(e, applied); }).map(function (e) { return e.id; }));
      if (changed.length) edges.update(changed);
      showNodes();
    });
    updateCounts();
    redescribe();
  }
  // The slider's position for a day (YYYY-MM-DD): every change on or before it is told.
  function positionOf(day) {
    var p = 0;
    while (p < days.length && days[p] <= day) p++;
    return p;
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "\u25b6";
    play.setAttribute("aria-label", "Play");
  }
  var PLAY_STEPS = 80; // a play through the whole range takes at most this many steps
  function start() {
    if (position >= days.length) setPosition(0);
    play.textContent = "\u275a\u275a";
    play.setAttribute("aria-label", "Pause");
    var step = Math.max(1, Math.ceil(days.length / PLAY_STEPS));
    timer = setInterval(function () {
      setPosition(position + step);
      if (position >= days.length) stop();
    }, 900);
  }
  slider.max = String(days.length);
  showDay(position);
  slider.addEventListener("input", function () { stop(); setPosition(Number(slider.value)); });
  play.addEventListener("click", function () { if (timer === null) start(); else stop(); });
  if (!days.length) document.getElementById("kg-time").hidden = true;

  // ---- party search ----------------------------------------------------------------------
  var list = document.getElementById("kg-parties");
  var byName = data.nodes.slice().sort(function (a, b) { return a.kg.name.localeCompare(b.kg.name); });
  var optionText = function (n) { return n.kg.name + " (" + n.id + ")"; };
  byName.forEach(function (n) {
    var o = document.createElement("option");
    o.value = optionText(n);
    list.append(o);
  });
  var msg = document.getElementById("kg-search-msg");
  // Parties whose code, "name (code)" or name is the query; else whose name or code contains it.
  function findParties(q) {
    q = (q || "").trim().toLowerCase();
    if (!q) return [];
    var exact = byName.filter(function (n) {
      return n.id.toLowerCase() === q || optionText(n).toLowerCase() === q || n.kg.name.toLowerCase() === q;
    });
    if (exact.length) return exact;
    return byName.filter(function (n) {
      return n.kg.name.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0;
    });
  }
  function go(id) {
    if (!nodeView.get(id)) {
      // Say why: the slider's day, the legend's filters, or both; the panel no longer shows
      // the party found before.
      var why = [position < days.length ? dayText(position) : null, filtering() ? "filters" : null];
      msg.textContent = partyName(id) + " is not shown (" + why.filter(Boolean).join(", ") + ")";
      showDetails(el("p", "kg-muted", partyName(id) + " has no agreement shown at this day with these filters."),
                  null);
      return null;
    }
    msg.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.3), animation: { duration: 300 } });
    showDetails(nodeContent(nodes.get(id), true), { node: id });
    revealDetails();
    return id;
  }
  function search(q) {
    var found = findParties(q);
    // A list of matches answers one query only: the next one replaces it, even with nothing.
    if (shown && shown.matches) showDetails(hint.cloneNode(true));
    if (found.length === 1) return go(found[0].id);
    msg.textContent = q && !found.length ? "no party matches" : "";
    if (found.length > 1) {
      var choices = el("ul", "kg-matches");
      found.forEach(function (n) {
        var pick = el("button", null, optionText(n));
        pick.type = "button";
        pick.dataset.party = n.id;
        pick.addEventListener("click", function () { go(n.id); });
        choices.append(el("li", null, pick));
      });
      showDetails(el("div", null, el("div", "kg-title", plural(found.length, "party matches", "parties match") +
                                         " \u201c" + q.trim() + "\u201d:"), choices), { matches: q });
      revealDetails();
    }
    return null;
  }
  var input = document.getElementById("kg-search");
  input.addEventListener("change", function () { search(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(input.value); });

  // ---- fitting the view: every party and its label inside the canvas ----------------------
  // The fit covers every party the slider or the filters can show, not only those shown now,
  // so that none ends up outside the canvas (or under the side panel) when it appears. vis-network
  // measures only the nodes it draws: each party's box (node and label, canvas units) is kept
  // from the first drawing, when all are drawn, and again after a person drags it.
  var FIT_MARGIN = 16; // pixels between the outermost label and the canvas edge
  var userMoved = false;
  var labelBoxes = {};
  function measureLabels(ids) {
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (b) labelBoxes[id] = b;
    });
  }
  function fitLabels() {
    var box = null;
    Object.keys(labelBoxes).forEach(function (id) {
      var b = labelBoxes[id];
      box = box === null ? { left: b.left, right: b.right, top: b.top, bottom: b.bottom }
        : { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
            top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) };
    });
    var width = container.clientWidth - 2 * FIT_MARGIN, height = container.clientHeight - 2 * FIT_MARGIN;
    if (box === null || width <= 0 || height <= 0) return;
    var scale = Math.min(width / Math.max(box.right - box.left, 1), height / Math.max(box.bottom - box.top, 1), 2);
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                     scale: scale, animation: false });
  }
  network.on("dragEnd", function (p) { if (p.nodes.length) measureLabels(p.nodes); else userMoved = true; });
  network.on("zoom", function () { userMoved = true; });
  network.on("resize", function () { if (!userMoved) setTimeout(fitLabels, 0); });

  updateCounts();
  network.fit({ animation: false });
  network.once("afterDrawing", function () {
    // Label sizes are known once drawn: fit again so that no label is cut off at an edge.
    measureLabels(nodes.getIds());
    fitLabels();
    network.once("afterDrawing", function () {
      window.kgReadyMs = performance.now();
      window.kgReady = true;
      document.body.dataset.ready = "true";
    });
    network.redraw();
  });

  window.kg = {
    data: data, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    network: network, search: search, refresh: refresh, fit: fitLabels,
    setPosition: setPosition,
    setDate: function (day) { stop(); setPosition(positionOf(day)); },
    position: function () { return position; },
    setFilter: function (kind, id, on) {
      var box = document.querySelector('input[data-filter="' + kind + '"][data-value="' + id + '"]');
      if (box && box.checked !== on) box.click();
    }
  };
})();
