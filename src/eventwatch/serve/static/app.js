// eventwatch dashboard: map, timeline, filters, event pages, live updates. Offline: no CDN, no tiles.
//
// Report text and every value extracted from it is hostile input (scraped posts). It only ever reaches the page
// through textContent / createTextNode / setAttribute on data-* or title: never innerHTML, never a URL scheme
// we did not check. The server's Content-Security-Policy forbids inline script as a second line of defence.
"use strict";

(() => {
  const TYPE_COLORS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
  };
  const OTHER_COLOR = "#34495e";
  const PAGE_SIZE = 50;
  const DETAIL_ZOOM = 7; // below: one circle per admin1 region; from here: single events
  const FILTER_NAMES = ["admin1", "event_type", "source", "since", "until", "min_corroboration"];

  const state = {
    kind: null, // "incidents" once fusion has run, else "events"; the view switch changes it
    token: sessionStorage.getItem("eventwatch-token") || "",
    filters: {},
    offset: 0,
    cursor: null,
    pollSeconds: 5,
    points: [],
    map: null,
    layer: null,
    seenReports: new Set(),
  };
  const perf = (window.__eventwatch = { markersDrawnAt: null, markers: 0, errors: [] });

  // ---- DOM helpers: build everything from text nodes ----------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const svgNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(svgNS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  const color = (type) => TYPE_COLORS[type] || OTHER_COLOR;
  const count = (low, best, high) => {
    if (best == null && low == null && high == null) return "";
    if (low != null && high != null && low !== high) return `${low}–${high}`;
    if (low != null && high == null && best != null && best !== low) return `${best} (≥${low})`;
    if (low != null && high == null && best == null) return `≥${low}`;
    return String(best ?? low ?? high);
  };
  // Only http(s) links from reports become clickable: "javascript:" and friends stay text.
  const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

  // ---- API ----------------------------------------------------------------------------------------------------
  function query(extra) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...state.filters, ...(extra || {}) })) {
      if (value !== "" && value !== null && value !== undefined) params.append(key, value);
    }
    return params.toString();
  }
  async function api(path) {
    const headers = state.token ? { Authorization: `Bearer ${state.token}` } : {};
    const response = await fetch(path, { headers });
    if (response.status === 401) {
      $("token-form").hidden = false;
      throw new Error("token required");
    }
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  // ---- map ----------------------------------------------------------------------------------------------------
  function initMap() {
    const map = L.map("map", { preferCanvas: true, zoomSnap: 0.5, worldCopyJump: true, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Borders: Natural Earth");
    map.setView([35, 38], 6);
    state.map = map;
    map.on("zoomend", drawMarkers);
    // The outline layer loads after first paint; markers never wait for it.
    fetch("/static/vendor/countries-50m.json")
      .then((r) => r.json())
      .then((world) => {
        const countries = topojson.feature(world, world.objects.countries);
        L.geoJSON(countries, {
          style: { color: "#8a99ab", weight: 0.8, fillColor: "#fbfaf6", fillOpacity: 1 },
          interactive: false,
        }).addTo(map).bringToBack();
      })
      .catch((e) => perf.errors.push(String(e)));
  }

  function drawMarkers() {
    const map = state.map;
    if (!map) return;
    if (state.layer) state.layer.remove();
    const layer = L.layerGroup();
    const renderer = L.canvas({ padding: 0.3 });
    let drawn = 0;
    if (map.getZoom() < DETAIL_ZOOM) {
      // Admin1 approximated by clustering: one circle per (country, admin1) at its events' mean position.
      const groups = new Map();
      for (const p of state.points) {
        const key = `${p.country || ""}\u0000${p.admin1 || p.location || ""}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { name: p.admin1 || p.location || "?", n: 0, lat: 0, lon: 0, killed: 0, types: {} }));
        g.n += 1; g.lat += p.latitude; g.lon += p.longitude; g.killed += p.fatalities || 0;
        g.types[p.event_type] = (g.types[p.event_type] || 0) + 1;
      }
      for (const g of groups.values()) {
        const main = Object.entries(g.types).sort((a, b) => b[1] - a[1])[0][0];
        const circle = L.circleMarker([g.lat / g.n, g.lon / g.n], {
          renderer, radius: 6 + Math.sqrt(g.n) * 2.5, color: color(main), weight: 1, fillOpacity: 0.45,
        });
        // Leaflet tooltips set innerHTML for strings: hand it a text-built element instead.
        circle.bindTooltip(el("span", { text: `${g.name}: ${g.n} events, ${g.killed} killed` }));
        circle.on("click", () => map.setView(circle.getLatLng(), DETAIL_ZOOM));
        layer.addLayer(circle);
        drawn += 1;
      }
    } else {
      for (const p of state.points) {
        const marker = L.circleMarker([p.latitude, p.longitude], {
          renderer, radius: 5 + Math.min(8, Math.sqrt(p.fatalities || 0)), color: color(p.event_type),
          weight: 1, fillOpacity: 0.7,
        });
        const place = [p.location, p.admin1].filter(Boolean).join(", ");
        const sources = p.corroboration != null ? ` · ${p.corroboration} source(s)` : "";
        marker.bindTooltip(el("span", { text: `${p.event_date || "?"} · ${p.event_type} · ${place}${sources}` }));
        marker.on("click", () => { location.hash = `#${singular()}/${p.id}`; });
        layer.addLayer(marker);
        drawn += 1;
      }
    }
    layer.addTo(map);
    state.layer = layer;
    perf.markers = drawn;
    if (perf.markersDrawnAt === null && state.pointsLoaded) {
      perf.markersDrawnAt = performance.now();
      performance.mark("eventwatch-markers-drawn");
    }
  }

  async function loadMap(fit) {
    state.points = await api(`/api/map?${query({ kind: state.kind, include_background: false })}`);
    state.pointsLoaded = true;
    if (fit && state.points.length) {
      const bounds = L.latLngBounds(state.points.map((p) => [p.latitude, p.longitude]));
      state.map.fitBounds(bounds.pad(0.2), { maxZoom: 9, animate: false });
    }
    drawMarkers();
  }

  // ---- timeline (hand-written SVG: stacked counts by type, fatalities as a line) ------------------------------
  function bucketFor(facets) {
    const dates = facets.dates;
    if (!dates || dates.length < 2) return "day";
    const days = (Date.parse(dates[1].value) - Date.parse(dates[0].value)) / 86400000;
    return days <= 120 ? "day" : days <= 1100 ? "week" : "month";
  }

  async function loadTimeline(bucket) {
    const rows = await api(`/api/timeline?${query({ kind: state.kind, bucket, include_background: false })}`);
    const periods = [...new Set(rows.map((r) => r.period))].sort();
    const byPeriod = new Map(periods.map((p) => [p, { total: 0, killed: 0, types: {} }]));
    for (const r of rows) {
      const b = byPeriod.get(r.period);
      b.total += r.events; b.killed += r.fatalities; b.types[r.event_type] = r.events;
    }
    const types = [...new Set(rows.map((r) => r.event_type))];
    const W = 1000, H = 180, left = 36, right = 36, top = 10, bottom = 22;
    const maxCount = Math.max(1, ...[...byPeriod.values()].map((b) => b.total));
    const maxKilled = Math.max(1, ...[...byPeriod.values()].map((b) => b.killed));
    const slot = (W - left - right) / Math.max(1, periods.length);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "Events and fatalities over time" });
    const y = (v) => H - bottom - (v / maxCount) * (H - top - bottom);
    const yk = (v) => H - bottom - (v / maxKilled) * (H - top - bottom);
    root.append(svg("line", { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, stroke: "#aab" }));
    root.append(svg("text", { x: 2, y: top + 8, class: "axis" }, maxCount));
    root.append(svg("text", { x: W - right + 4, y: top + 8, class: "axis", fill: "#b4232a" }, maxKilled));
    const line = [];
    periods.forEach((period, i) => {
      const b = byPeriod.get(period);
      let base = 0;
      for (const t of types) {
        const n = b.types[t] || 0;
        if (!n) continue;
        const width = Math.max(1, Math.min(slot * 0.8, 60));
        const rect = svg("rect", { x: left + i * slot + (slot - width) / 2, width,
          y: y(base + n), height: y(base) - y(base + n), fill: color(t) });
        rect.append(svg("title", {}, `${period} · ${t}: ${n} events`));
        root.append(rect);
        base += n;
      }
      line.push(`${left + i * slot + slot / 2},${yk(b.killed)}`);
      if (b.killed) {
        const dot = svg("circle", { cx: left + i * slot + slot / 2, cy: yk(b.killed), r: 3, fill: "#b4232a" });
        dot.append(svg("title", {}, `${period}: ${b.killed} reported killed`));
        root.append(dot);
      }
      if (periods.length <= 31 || i % Math.ceil(periods.length / 12) === 0) {
        root.append(svg("text", { x: left + i * slot + slot / 2, y: H - 6, class: "axis", "text-anchor": "middle" },
          period.slice(periods.length > 31 ? 0 : 5)));
      }
    });
    if (line.length) {
      root.append(svg("polyline", { points: line.join(" "), fill: "none", stroke: "#b4232a", "stroke-width": 2 }));
    }
    $("timeline").replaceChildren(root);
    $("timeline-note").textContent =
      `per ${bucket}; bars: ${state.kind} by type (left scale), line: reported fatalities (right scale)`;
    $("legend").replaceChildren(
      ...types.map((t) => el("span", {}, el("i", { style: null }), t)),
      el("span", {}, el("i", {}), "fatalities"),
    );
    // Colours via CSSOM (allowed by the CSP), never via markup.
    const swatches = $("legend").querySelectorAll("i");
    types.forEach((t, i) => { swatches[i].style.background = color(t); });
    swatches[types.length].style.background = "#b4232a";
  }

  // ---- filters ------------------------------------------------------------------------------------------------
  function fillSelect(select, values, keep) {
    const current = keep ?? select.value;
    select.replaceChildren(el("option", { value: "" }, "all"));
    for (const v of values) {
      if (v.value == null) continue;
      select.append(el("option", { value: v.value }, `${v.value} (${v.count})`));
    }
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }

  async function loadFacets() {
    // Menus list what exists under the *other* filters, so a choice never empties its own menu.
    const facets = await api(
      `/api/facets?${query({ kind: state.kind, include_background: false, admin1: "", event_type: "", source: "" })}`);
    fillSelect($("f-admin1"), facets.admin1, state.filters.admin1 || "");
    fillSelect($("f-event_type"), facets.event_type, state.filters.event_type || "");
    fillSelect($("f-source"), facets.source, state.filters.source || "");
    return facets;
  }

  function readFilters() {
    const filters = {};
    for (const name of FILTER_NAMES) {
      const value = $(`f-${name}`).value;
      if (value) filters[name] = value;
    }
    state.filters = filters;
    state.offset = 0;
    for (const [fmt, id] of [["csv", "dl-csv"], ["geojson", "dl-geojson"], ["parquet", "dl-parquet"]]) {
      $(id).setAttribute("href", `/api/${state.kind || "events"}/download?${query({ format: fmt })}`);
    }
  }

  // ---- list of incidents or events ---------------------------------------------------------------------------
  const singular = () => (state.kind === "incidents" ? "incident" : "event");

  function listRow(item) {
    const incident = state.kind === "incidents";
    const killed = count(item.fatalities_low, item.fatalities_best ?? item.fatalities, item.fatalities_high) ||
      (item.fatalities_reported_unknown ? "unknown" : "");
    const actors = incident && item.actors.length ? item.actors : [item.actor1, item.actor2].filter(Boolean);
    const source = incident
      ? `${item.corroboration} independent of ${item.n_sources} report${item.n_sources === 1 ? "" : "s"}`
      : `${item.attributed_to && item.attributed_to !== item.source ? `${item.attributed_to} via ` : ""}${item.source || "?"}`;
    const row = el("tr", { tabindex: 0, [`data-${singular()}-id`]: item.id },
      el("td", {}, (item.event_date || "?") +
        (item.event_date_end && item.event_date_end !== item.event_date ? ` – ${item.event_date_end}` : "")),
      el("td", {}, `${item.event_type} / ${item.sub_event_type}`),
      el("td", {}, [item.location, item.admin1, item.country].filter(Boolean).join(", ")),
      el("td", {}, actors.join(" vs ")),
      el("td", {}, killed + (item.fatalities_cumulative && killed ? " (running total)" : "")),
      el("td", {}, source),
    );
    const open = () => { location.hash = `#${singular()}/${item.id}`; };
    row.addEventListener("click", open);
    row.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
    return row;
  }

  async function loadList() {
    const page = await api(`/api/${state.kind}?${query({ limit: PAGE_SIZE, offset: state.offset, include_background: false })}`);
    $("events").tBodies[0].replaceChildren(...page.items.map(listRow));
    $("list-title").textContent = state.kind === "incidents" ? "Incidents" : "Events";
    $("source-header").textContent = state.kind === "incidents" ? "Sources" : "Source";
    $("events-count").textContent = `${page.total.toLocaleString()} matching`;
    const last = Math.min(page.offset + page.items.length, page.total);
    $("page").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total.toLocaleString()}` : "none";
    $("prev").disabled = page.offset === 0;
    $("next").disabled = last >= page.total;
  }

  async function loadLatest() {
    const page = await api(`/api/reports?limit=10`);
    const items = page.items.map((r) => {
      const fresh = state.seenReports.size > 0 && !state.seenReports.has(r.id);
      const when = (r.published_at || r.ingested_at || "").slice(0, 16).replace("T", " ");
      return el("li", { class: fresh ? "new" : null, "data-report-id": r.id },
        el("span", { class: "meta" }, `${when} · ${r.source || "unknown source"} · ${r.events} events`),
        r.title || r.excerpt);
    });
    page.items.forEach((r) => state.seenReports.add(r.id));
    $("latest").replaceChildren(...items);
  }

  // Alerts fired by `eventwatch watch` rules (the panel stays hidden on a database no watcher has alerted on).
  const ALERT_KINDS = { new_incident: "new incident", toll_rose: "toll rose", new_source: "new source",
    contradiction: "contradiction" };
  async function loadAlerts() {
    const alerts = await api("/api/alerts?limit=10");
    $("alerts-panel").hidden = alerts.length === 0;
    const items = alerts.map((a) => {
      const when = (a.created_at || "").slice(0, 16).replace("T", " ");
      const pending = Object.entries(a.deliveries).filter(([, d]) => d.status !== "delivered").map(([dest]) => dest);
      const open = () => { location.hash = `#incident/${a.incident_id}`; };
      const item = el("li", { tabindex: 0, "data-alert-id": a.id, "data-incident-id": a.incident_id,
        onclick: open, onkeydown: (ev) => { if (ev.key === "Enter") open(); } },
        el("span", { class: "meta" }, el("span", { class: `alert-kind k-${a.kind}` }, ALERT_KINDS[a.kind] || a.kind),
          `${when} · rule ${a.rule}`,
          pending.length ? el("span", { class: "alert-pending", title: pending.join(", ") }, " · delivery pending") : null),
        a.summary);
      return item;
    });
    $("alerts").replaceChildren(...items);
    $("alerts-note").textContent = alerts.length ? `${alerts.length} newest` : "";
  }

  async function summary() {
    const health = await api("/api/health");
    state.pollSeconds = health.poll_seconds || 5;
    if (state.kind === null) {
      // Incidents are the unit people care about; show events only until fusion has run.
      state.kind = health.incidents ? "incidents" : "events";
      $("f-kind").value = state.kind;
      readFilters();
    }
    const incidents = health.incidents != null ? `, ${health.incidents.toLocaleString()} incidents` : "";
    $("summary").textContent =
      `${health.reports.toLocaleString()} reports, ${health.events.toLocaleString()} events${incidents}`;
  }

  async function refreshAll(fit) {
    if (state.kind === null) await summary();
    const facets = await loadFacets();
    await Promise.all([loadMap(fit), loadTimeline(bucketFor(facets)), loadList(), loadLatest(), loadAlerts(), summary()]);
  }

  // ---- event page: each source sentence with the extracted values and the attribution highlighted -------------
  // Split [start, end) of the text at every span boundary; each piece covered by a span becomes a <mark>.
  function highlighted(text, start, end, spans) {
    const cuts = new Set([start, end]);
    for (const s of spans) {
      if (s.end <= start || s.start >= end) continue;
      cuts.add(Math.max(start, s.start)); cuts.add(Math.min(end, s.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const covering = spans.filter((s) => s.start <= a && s.end >= b && s.start < s.end);
      const piece = text.slice(a, b);
      if (!covering.length) { out.push(document.createTextNode(piece)); continue; }
      const names = [...new Set(covering.map((s) => s.field))];
      const mark = el("mark", {
        class: names.map((n) => (n === "attribution" ? "attr" : `f-${n.replace(/[^a-z0-9_]/gi, "")}`)).join(" "),
        title: names.join(", "), "data-fields": names.join(" "),
      }, piece);
      // Label a span where it ends, so a value and its name read together.
      const ending = covering.filter((s) => s.end === b).map((s) => s.field);
      if (ending.length) mark.append(el("sup", {}, ending.join(", ")));
      out.push(mark);
    }
    return out;
  }

  function tollChart(related) {
    const points = related.filter((r) => r.fatalities_best != null || r.fatalities_low != null || r.fatalities != null);
    if (!points.length) return el("p", { class: "muted small" }, "No source gave a number of fatalities.");
    const W = 400, H = 120, pad = 26;
    const value = (r) => r.fatalities_best ?? r.fatalities ?? r.fatalities_low;
    const max = Math.max(1, ...points.map((r) => r.fatalities_high ?? value(r)));
    const x = (i) => pad + (points.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (points.length - 1));
    const y = (v) => H - pad - (v / max) * (H - 2 * pad);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Reported toll by report" });
    root.append(svg("line", { x1: pad, x2: W - pad, y1: H - pad, y2: H - pad, stroke: "#aab" }));
    root.append(svg("text", { x: 2, y: pad, class: "axis" }, max));
    root.append(svg("polyline", { points: points.map((r, i) => `${x(i)},${y(value(r))}`).join(" "),
      fill: "none", stroke: "#b4232a", "stroke-width": 2 }));
    points.forEach((r, i) => {
      if (r.fatalities_low != null && r.fatalities_high != null) {
        root.append(svg("line", { x1: x(i), x2: x(i), y1: y(r.fatalities_low), y2: y(r.fatalities_high),
          stroke: "#b4232a", "stroke-opacity": 0.4, "stroke-width": 6 }));
      }
      const dot = svg("circle", { cx: x(i), cy: y(value(r)), r: 4, fill: "#b4232a" });
      dot.append(svg("title", {}, `${(r.published_at || "?").slice(0, 16)} ${r.source || "?"}: ${value(r)} (${r.hedge})`));
      root.append(dot);
      root.append(svg("text", { x: x(i), y: y(value(r)) - 8, class: "axis", "text-anchor": "middle" },
        `${value(r)}${r.fatalities_cumulative ? " (total)" : ""}`));
      root.append(svg("text", { x: x(i), y: H - 8, class: "axis", "text-anchor": "middle" },
        `${(r.source || "?").slice(0, 18)} ${(r.published_at || "").slice(5, 10)}`));
    });
    return el("div", { class: "toll" }, root);
  }

  // Spans of an event as {start, end, field}, plus the attribution spans of the claims shown.
  function eventSpans(event) {
    const spans = [];
    for (const [field, list] of Object.entries(event.spans)) for (const s of list) spans.push({ ...s, field });
    return spans;
  }

  // The report's sentences that carry the event (its claims, or those overlapping its spans), each with the
  // extracted values and the attribution marked, and who says it with how much certainty.
  function evidence(report, event, claims) {
    const spans = eventSpans(event);
    const mine = claims.filter((c) => c.report_id === report.id &&
      (event.claim_ids.includes(c.id) || spans.some((s) => s.start < c.end && s.end > c.start)));
    for (const c of mine) {
      if (c.attribution_start != null) spans.push({ start: c.attribution_start, end: c.attribution_end, field: "attribution" });
    }
    const dir = ["ar", "fa", "he", "ur"].includes(report.language) ? "rtl" : "auto";
    // With no claims stored, the sentence is approximated by the whole text.
    const blocks = mine.length ? mine : [{ start: 0, end: report.text.length, hedge: event.hedge, attributed_to: event.attributed_to }];
    const out = blocks.map((c) => el("blockquote", { class: "sentence", dir, "data-claim-id": c.id || null, lang: report.language || null },
      el("span", { class: "who" }, c.attributed_to ? `according to ${c.attributed_to}` : "in the report's own voice",
        el("span", { class: `hedge hedge-${c.hedge}` }, c.hedge)),
      ...highlighted(report.text, c.start, c.end, spans)));
    out.push(el("details", {}, el("summary", { class: "small" }, "Full report text"),
      el("div", { class: "fulltext", dir }, ...highlighted(report.text, 0, report.text.length, spans))));
    return out;
  }

  function reportLine(report, extra) {
    const link = safeUrl(report.url);
    const published = (report.published_at || "").slice(0, 16).replace("T", " ");
    return el("p", { class: "muted small" }, `${report.source || "unknown source"} · ${published || "undated"}${extra || ""} `,
      link ? el("a", { href: link, rel: "noopener noreferrer nofollow", target: "_blank" }, "original") : null);
  }

  function valuesTable(event) {
    const table = el("table", { class: "values" },
      el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "value"), el("th", {}, "evidence"))));
    const tbody = el("tbody");
    for (const [field, list] of Object.entries(event.spans)) {
      tbody.append(el("tr", {}, el("td", {}, field), el("td", {}, event[field] ?? ""),
        el("td", {}, list.map((s) => `“${s.text ?? ""}” [${s.start}–${s.end}]`).join("; "))));
    }
    table.append(tbody);
    return table;
  }

  function correctionsList(corrections) {
    if (!corrections.length) return [];
    const list = el("ul", { class: "corrections" });
    for (const c of corrections) {
      list.append(el("li", {}, `${c.created_at.slice(0, 16).replace("T", " ")} ${c.changed_by}: ${c.field} ${c.old_value} → ${c.new_value}${c.reason ? ` (${c.reason})` : ""}`));
    }
    return [el("h3", {}, "Corrections"), list];
  }

  function factsList(item, extra) {
    const facts = el("dl", { class: "facts" });
    const fact = (name, value) => { if (value !== "" && value != null) facts.append(el("dt", {}, name), el("dd", {}, value)); };
    fact("date", (item.event_date || "?") + (item.event_date_end && item.event_date_end !== item.event_date ? ` – ${item.event_date_end}` : ""));
    fact("place", [item.location, item.admin2, item.admin1, item.country].filter(Boolean).join(", "));
    fact("coordinates", item.latitude != null ? `${item.latitude}, ${item.longitude} (precision ${item.geo_precision ?? "?"})` : "");
    fact("actors", (item.actors && item.actors.length ? item.actors : [item.actor1, item.actor2].filter(Boolean)).join(" vs "));
    const killed = count(item.fatalities_low, item.fatalities_best ?? item.fatalities, item.fatalities_high);
    fact("killed", (killed || (item.fatalities_reported_unknown ? "reported, number unknown" : "")) +
      (killed && item.fatalities_cumulative ? " (latest running total)" : ""));
    fact("injured", count(item.injured_low, item.injured_best, item.injured_high));
    fact("detained", count(item.detained_low, item.detained_best, item.detained_high));
    for (const [name, value] of extra) fact(name, value);
    fact("notes", item.notes);
    return facts;
  }

  function showDetail(body, latitude, longitude) {
    $("detail-body").replaceChildren(...body);
    $("detail").hidden = false;
    $("side").hidden = true;
    $("detail").scrollTop = 0;
    if (latitude != null && state.map) state.map.setView([latitude, longitude], Math.max(state.map.getZoom(), DETAIL_ZOOM));
  }

  async function showEvent(id) {
    const detail = await api(`/api/events/${encodeURIComponent(id)}`);
    const e = detail.event, report = detail.report;
    const body = [el("h2", {}, `${e.event_type} / ${e.sub_event_type}`)];
    body.push(factsList(e, [
      ["certainty", `${e.hedge}${e.attributed_to ? ` (according to ${e.attributed_to})` : ""}`],
      ["sources", `${detail.corroboration} reporting the same type, day and place`],
      ["confidence", e.confidence.toFixed(2)],
    ]));
    if (detail.incident_id) {
      body.push(el("p", { class: "small" }, "Part of ", el("a", { href: `#incident/${detail.incident_id}` }, "an incident"),
        " fused from every report of it."));
    }
    if (report) {
      body.push(el("h3", {}, "Source sentences"), reportLine(report), ...evidence(report, e, detail.claims));
      body.push(el("h3", {}, "Extracted values"), valuesTable(e));
    }
    body.push(el("h3", {}, "Toll as reported"), tollChart(detail.related));
    if (detail.related.length > 1) {
      const list = el("ul", { class: "small" });
      for (const r of detail.related) {
        const item = el("li", {}, `${(r.published_at || "?").slice(0, 16).replace("T", " ")} · ${r.source || "?"} · killed ${count(r.fatalities_low, r.fatalities_best ?? r.fatalities, r.fatalities_high) || "—"} (${r.hedge}) `);
        if (r.id !== e.id) item.append(el("a", { href: `#event/${r.id}` }, "open"));
        list.append(item);
      }
      body.push(list);
    }
    body.push(...correctionsList(detail.corrections));
    showDetail(body, e.latitude, e.longitude);
  }

  async function showIncident(id) {
    const detail = await api(`/api/incidents/${encodeURIComponent(id)}`);
    const inc = detail.incident;
    const events = new Map(detail.events.map((e) => [e.id, e]));
    const reports = new Map(detail.reports.map((r) => [r.id, r]));
    const body = [el("h2", {}, `${inc.event_type} / ${inc.sub_event_type}`)];
    body.push(factsList(inc, [
      ["sources", `${inc.corroboration} independent (${inc.n_sources} report${inc.n_sources === 1 ? "" : "s"})`],
      ["certainty", `${inc.hedge}${inc.denied ? "; denied by a source" : ""}`],
    ]));
    if (detail.contradictions.length) {
      body.push(el("h3", {}, "Sources disagree"));
      const list = el("ul", { class: "small" });
      for (const c of detail.contradictions) {
        const versions = (c.versions || []).map((v) => `${JSON.stringify(v.value)} (${(v.sources || []).join(", ")})`);
        list.append(el("li", {}, `${c.field}: ${versions.join(" vs ")}${c.note ? ` — ${c.note}` : ""}`));
      }
      body.push(list);
    }
    body.push(el("h3", {}, "Toll as reported"));
    // One point per report that gave a number, in publication order: the toll's history as it was told.
    const points = [...detail.sources]
      .sort((a, b) => String(a.published_at).localeCompare(String(b.published_at)))
      .map((s) => ({ ...(events.get(s.event_id) || {}), published_at: s.published_at, source: s.outlet || s.original, hedge: s.hedge }));
    body.push(tollChart(points));
    if (detail.toll_history.length) {
      const list = el("ul", { class: "small" });
      for (const t of detail.toll_history) {
        list.append(el("li", {}, `${t.as_of || "?"} · ${t.kind} ${count(t.low, t.best, t.high)} · ${t.source}${t.span && t.span.text ? ` — “${t.span.text}”` : ""}`));
      }
      body.push(list);
    }
    body.push(el("h3", {}, "Sources"));
    for (const s of detail.sources) {
      const report = reports.get(s.report_id), event = events.get(s.event_id);
      if (!report || !event) continue;
      const chain = s.chain.length > 1 ? ` · via ${s.chain.join(" → ")}` : "";
      const section = el("section", { class: "source", "data-report-id": report.id },
        reportLine(report, `${chain}${s.syndicated_from ? " · syndicated copy" : ""}${s.supports ? "" : " · denies"}`),
        ...evidence(report, event, detail.claims),
        el("p", { class: "small" }, el("a", { href: `#event/${event.id}` }, "this report's event")));
      body.push(section);
    }
    body.push(...correctionsList(detail.corrections));
    showDetail(body, inc.latitude, inc.longitude);
  }

  function route() {
    const match = /^#(event|incident)\/([0-9A-Za-z_-]+)$/.exec(location.hash);
    if (match) {
      (match[1] === "incident" ? showIncident : showEvent)(match[2]).catch(fail);
    } else {
      $("detail").hidden = true;
      $("side").hidden = false;
    }
  }

  // ---- live updates: poll /api/updates and refresh in place ---------------------------------------------------
  async function poll() {
    try {
      const url = state.cursor === null ? "/api/updates" : `/api/updates?since=${encodeURIComponent(state.cursor)}`;
      const update = await api(url);
      const first = state.cursor === null;
      state.cursor = update.cursor;
      $("live").classList.remove("stale");
      if (!first && update.changed) {
        if (update.total) {
          $("news").textContent = `${update.total} new report${update.total === 1 ? "" : "s"}: ${update.reports.map((r) => r.title || r.excerpt.slice(0, 60)).slice(0, 3).join(" · ")}`;
          $("news").hidden = false;
        }
        await refreshAll(false);
        if (/^#(event|incident)\//.test(location.hash)) route();
      }
    } catch (err) {
      $("live").classList.add("stale");
      perf.errors.push(String(err));
    }
    setTimeout(poll, state.pollSeconds * 1000);
  }

  function fail(err) {
    perf.errors.push(String(err));
    $("summary").textContent = `error: ${err.message || err}`;
  }

  async function start() {
    initMap();
    readFilters();
    $("filters").addEventListener("change", () => { readFilters(); refreshAll(false).catch(fail); });
    $("filters").addEventListener("submit", (ev) => ev.preventDefault());
    $("f-reset").addEventListener("click", () => setTimeout(() => { readFilters(); refreshAll(true).catch(fail); }, 0));
    $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); loadList().catch(fail); });
    $("next").addEventListener("click", () => { state.offset += PAGE_SIZE; loadList().catch(fail); });
    $("f-kind").addEventListener("change", (ev) => {
      state.kind = $("f-kind").value;
      readFilters();
      refreshAll(true).catch(fail);
    });
    $("detail-close").addEventListener("click", () => { history.pushState(null, "", location.pathname + location.search); route(); });
    $("token-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      state.token = $("token").value;
      sessionStorage.setItem("eventwatch-token", state.token);
      $("token-form").hidden = true;
      refreshAll(true).then(route).catch(fail);
    });
    window.addEventListener("hashchange", route);
    try {
      await refreshAll(true);
      route();
    } catch (err) {
      fail(err);
    }
    document.body.dataset.ready = "1";
    poll();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
