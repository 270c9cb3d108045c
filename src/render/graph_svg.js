// graph_svg.js — pan and zoom for `memscope graph --svg` (embedded in the SVG
// by src/render/dot.c, like pprof's -svg output, so a large call graph can be
// read in a browser). The Graphviz drawing (g#graph0) is moved into a group
// g#viewport whose transform is translate(tx ty) scale(s), in the root
// SVG's user units:
//   wheel      zoom about the pointer: s' = s·k with k = exp(−deltaY/500)
//              (s' kept in [0.05, 50]); the user point p under the pointer
//              stays put, so t' = p − k·(p − t);
//   drag       pan: t = t0 + (p − p0), p the pointer in user units;
//   key 0      back to the whole graph (s = 1, t = 0).
// Pointer positions go to user units through the root's getScreenCTM().
(function () {
	"use strict";
	var svg = document.documentElement, graph = document.getElementById("graph0");
	if (!graph || !svg.createSVGPoint)
		return;
	var vp = document.createElementNS("http://www.w3.org/2000/svg", "g");
	vp.setAttribute("id", "viewport");
	graph.parentNode.insertBefore(vp, graph);
	vp.appendChild(graph);
	var s = 1, tx = 0, ty = 0, drag = null;
	function apply() {
		vp.setAttribute("transform", "translate(" + tx + " " + ty + ") scale(" + s + ")");
	}
	function user(evt) {
		var p = svg.createSVGPoint();
		p.x = evt.clientX;
		p.y = evt.clientY;
		return p.matrixTransform(svg.getScreenCTM().inverse());
	}
	svg.addEventListener("wheel", function (evt) {
		evt.preventDefault();
		var p = user(evt), ns = Math.min(50, Math.max(0.05, s * Math.exp(-evt.deltaY / 500))), k = ns / s;
		tx = p.x - k * (p.x - tx);
		ty = p.y - k * (p.y - ty);
		s = ns;
		apply();
	}, { passive: false });
	svg.addEventListener("mousedown", function (evt) {
		if (evt.button !== 0)
			return;
		var p = user(evt);
		drag = { x: p.x, y: p.y, tx: tx, ty: ty };
		evt.preventDefault();
	});
	window.addEventListener("mousemove", function (evt) {
		if (!drag)
			return;
		var p = user(evt);
		tx = drag.tx + p.x - drag.x;
		ty = drag.ty + p.y - drag.y;
		apply();
	});
	window.addEventListener("mouseup", function () {
		drag = null;
	});
	window.addEventListener("keydown", function (evt) {
		if (evt.key === "0") {
			s = 1;
			tx = ty = 0;
			apply();
		}
	});
	apply();
})();
