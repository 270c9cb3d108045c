// flame_svg.js — the interaction of memscope's SVG flame graphs, embedded
// verbatim by flame_svg.c (no network, no libraries). The C side writes
// `var cfg = {...}` before this code and one <g> per frame inside
// <g id="frames">: <title>name\ninfo</title><rect/> and a <text/> label
// when the frame is wide enough.
//   click a frame      zoom: it spans the full width, its ancestors stay
//                      (faded), frames outside it hide
//   Reset Zoom         back to the whole graph
//   Search / Ctrl-F    regex over frame names: matches turn magenta and
//                      "Matched: N%" gives their share of the total
//                      (nested matches counted once); Esc clears
//   ic                 toggles case-insensitive search
//   ?s=REGEX           in the URL searches on load; ?z=NAME zooms on the
//                      widest frame named NAME (links that show one view)
"use strict";
var framesEl, detailsEl, unzoomBtn, searchBtn, icBtn, matchedEl;
var all = [], ignorecase = false, searching = null, zoomed = null;
var fullw = cfg.width - 2 * cfg.pad;
var charw = cfg.fontsize * cfg.fontwidth;

function init() {
	framesEl = document.getElementById("frames");
	detailsEl = document.getElementById("details");
	unzoomBtn = document.getElementById("unzoom");
	searchBtn = document.getElementById("search");
	icBtn = document.getElementById("ignorecase");
	matchedEl = document.getElementById("matched");
	var gs = framesEl.children;
	for (var i = 0; i < gs.length; i++) {
		var g = gs[i], r = g.getElementsByTagName("rect")[0];
		var title = g.getElementsByTagName("title")[0].textContent;
		var nl = title.indexOf("\n");
		all.push(g);
		g.fg = {
			rect: r,
			text: g.getElementsByTagName("text")[0] || null,
			name: nl < 0 ? title : title.substring(0, nl),
			info: nl < 0 ? "" : title.substring(nl + 1),
			x: parseFloat(r.getAttribute("x")),
			w: parseFloat(r.getAttribute("width")),
			y: parseFloat(r.getAttribute("y")),
			fill: r.getAttribute("fill")
		};
	}
	framesEl.addEventListener("click", function (e) {
		var g = frameOf(e.target);
		if (g) zoom(g);
	});
	framesEl.addEventListener("mouseover", function (e) {
		var g = frameOf(e.target);
		if (g) setText(detailsEl, g.fg.name + " (" + g.fg.info + ")");
	});
	framesEl.addEventListener("mouseout", function () { setText(detailsEl, " "); });
	unzoomBtn.addEventListener("click", unzoom);
	searchBtn.addEventListener("click", function () {
		if (searching !== null) resetSearch(); else searchPrompt();
	});
	icBtn.addEventListener("click", toggleIgnoreCase);
	window.addEventListener("keydown", function (e) {
		if (e.key === "F3" || ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F"))) {
			e.preventDefault();
			searchPrompt();
		} else if ((e.ctrlKey || e.metaKey) && (e.key === "i" || e.key === "I")) {
			e.preventDefault();
			toggleIgnoreCase();
		} else if (e.key === "Escape") {
			resetSearch();
		}
	});
	var q = parseQuery();
	if (q.z) {
		var best = null;
		for (var k = 0; k < all.length; k++)
			if (all[k].fg.name === q.z && (!best || all[k].fg.w > best.fg.w)) best = all[k];
		if (best) zoom(best);
	}
	if (q.s) search(q.s);
}

function parseQuery() {
	var out = {}, s = document.location ? document.location.search : "";
	if (!s) return out;
	s.substring(1).split("&").forEach(function (kv) {
		var eq = kv.indexOf("=");
		if (eq > 0) out[kv.substring(0, eq)] = decodeURIComponent(kv.substring(eq + 1).replace(/\+/g, " "));
	});
	return out;
}

function frameOf(el) {
	while (el && el !== framesEl) {
		if (el.fg) return el;
		el = el.parentNode;
	}
	return null;
}

function setText(el, s) { el.textContent = s; }

// The label that fits w pixels: the whole name, or its start and "..".
function label(name, w) {
	var chars = Math.floor((w - 3) / charw);
	if (chars < 3) return "";
	if (name.length <= chars) return name;
	return name.substring(0, chars - 2) + "..";
}

function place(g, x, w) {
	var f = g.fg;
	f.rect.setAttribute("x", x.toFixed(2));
	f.rect.setAttribute("width", w.toFixed(2));
	var s = label(f.name, w);
	if (!f.text) {
		if (!s) return;
		f.text = document.createElementNS("http://www.w3.org/2000/svg", "text");
		f.text.setAttribute("y", (f.y + cfg.textdy).toFixed(1));
		g.appendChild(f.text);
	}
	f.text.setAttribute("x", (x + 3).toFixed(2));
	f.text.textContent = s;
}

function show(g, on) {
	if (on) g.classList.remove("hide"); else g.classList.add("hide");
}

// Deeper = further from the root: up in a flame graph, down in an icicle.
function deeper(a, b) { return cfg.icicle ? a.y > b.y : a.y < b.y; }

function zoom(g) {
	var a = g.fg, ratio = fullw / a.w, eps = 0.02;
	zoomed = g;
	unzoomBtn.classList.remove("hide");
	for (var i = 0; i < all.length; i++) {
		var e = all[i], f = e.fg;
		e.classList.remove("parent");
		if (e === g) {
			show(e, true);
			place(e, cfg.pad, fullw);
		} else if (!deeper(f, a)) {
			// an ancestor covers the zoomed frame: full width, faded
			var anc = f.x <= a.x + eps && f.x + f.w >= a.x + a.w - eps && f.y !== a.y;
			show(e, anc);
			if (anc) {
				e.classList.add("parent");
				place(e, cfg.pad, fullw);
			}
		} else {
			var inside = f.x >= a.x - eps && f.x + f.w <= a.x + a.w + eps;
			show(e, inside);
			if (inside) place(e, cfg.pad + (f.x - a.x) * ratio, f.w * ratio);
		}
	}
	if (searching !== null) search(searching);
}

function unzoom() {
	zoomed = null;
	unzoomBtn.classList.add("hide");
	for (var i = 0; i < all.length; i++) {
		var e = all[i];
		e.classList.remove("parent");
		show(e, true);
		place(e, e.fg.x, e.fg.w);
	}
}

function toggleIgnoreCase() {
	ignorecase = !ignorecase;
	if (ignorecase) icBtn.classList.add("on"); else icBtn.classList.remove("on");
	if (searching !== null) search(searching);
}

function searchPrompt() {
	var term = window.prompt("Search frames (regular expression, e.g. ^runtime\\.)" +
		(ignorecase ? ", ignoring case" : "") + "\nCtrl-I toggles case sensitivity", searching || "");
	if (term !== null && term !== "") search(term);
}

function resetSearch() {
	searching = null;
	for (var i = 0; i < all.length; i++) all[i].fg.rect.setAttribute("fill", all[i].fg.fill);
	setText(searchBtn, "Search");
	setText(matchedEl, " ");
}

function search(term) {
	var re;
	try {
		re = new RegExp(term, ignorecase ? "i" : "");
	} catch (err) {
		setText(matchedEl, "bad regex: " + term);
		return;
	}
	searching = term;
	var spans = [];
	for (var i = 0; i < all.length; i++) {
		var f = all[i].fg;
		if (re.test(f.name)) {
			f.rect.setAttribute("fill", cfg.searchcolor);
			spans.push([f.x, f.x + f.w]);
		} else {
			f.rect.setAttribute("fill", f.fill);
		}
	}
	// share of the total width covered by matches, each point counted once
	spans.sort(function (p, q) { return p[0] - q[0] || q[1] - p[1]; });
	var covered = 0, end = -Infinity;
	for (var k = 0; k < spans.length; k++) {
		var s = spans[k];
		if (s[1] <= end) continue;
		covered += s[1] - Math.max(s[0], end);
		end = s[1];
	}
	var pct = Math.min(100, 100 * covered / fullw);
	setText(searchBtn, "Reset Search");
	setText(matchedEl, "Matched: " + (pct >= 99.995 ? "100" : pct.toFixed(2)) + "%");
}
