// html_report.js — the interaction of `memscope report --html` pages,
// embedded verbatim by html_report.c after the page's sections:
//   table.ms-sortable  a click on a header sorts the rows by that column:
//                      numbers by each cell's data-v (largest first), names
//                      alphabetically; a second click reverses; ties keep
//                      the report's order. aria-sort says the order.
//   #ms-flame-svg      the flame graph's own script (flame_svg.js, inside
//                      the SVG) defines init, search, resetSearch and
//                      unzoom as globals; this calls init() and wires the
//                      page's search form and buttons to them.
(function () {
	"use strict";

	function key(td, kind) {
		if (kind === "num") return parseFloat(td.getAttribute("data-v"));
		return td.textContent;
	}

	function sortBy(table, th) {
		var ths = table.tHead.rows[0].cells;
		var col = Array.prototype.indexOf.call(ths, th);
		var kind = th.getAttribute("data-sort");
		var cur = th.getAttribute("aria-sort");
		var desc = cur ? cur === "ascending" : kind === "num";
		for (var i = 0; i < ths.length; i++) ths[i].removeAttribute("aria-sort");
		th.setAttribute("aria-sort", desc ? "descending" : "ascending");
		var body = table.tBodies[0];
		var rows = Array.prototype.slice.call(body.rows);
		rows.forEach(function (r, i) { if (r.msIndex === undefined) r.msIndex = i; });
		rows.sort(function (a, b) {
			var x = key(a.cells[col], kind), y = key(b.cells[col], kind), c;
			if (kind === "num") c = x - y;
			else c = x < y ? -1 : x > y ? 1 : 0;
			if (desc) c = -c;
			return c || a.msIndex - b.msIndex;
		});
		rows.forEach(function (r) { body.appendChild(r); });
	}

	Array.prototype.forEach.call(document.querySelectorAll("table.ms-sortable"), function (table) {
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
			th.tabIndex = 0;
			th.addEventListener("click", function () { sortBy(table, th); });
			th.addEventListener("keydown", function (e) {
				if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th); }
			});
		});
	});

	var svg = document.getElementById("ms-flame-svg");
	if (!svg || typeof window.init !== "function") return;
	window.init();
	var q = document.getElementById("ms-flame-q");
	var out = document.getElementById("ms-flame-matched");
	var matched = document.getElementById("matched");
	function showMatched() { out.textContent = matched ? matched.textContent.trim() : ""; }
	document.getElementById("ms-flame-form").addEventListener("submit", function (e) {
		e.preventDefault();
		if (q.value === "") window.resetSearch(); else window.search(q.value);
		showMatched();
	});
	document.getElementById("ms-flame-clear").addEventListener("click", function () {
		q.value = "";
		window.resetSearch();
		showMatched();
	});
	document.getElementById("ms-flame-unzoom").addEventListener("click", function () { window.unzoom(); });
	showMatched();
})();
