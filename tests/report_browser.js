// report_browser.js — drives headless Chromium over the DevTools protocol
// (--remote-debugging-pipe: no port, no npm packages) to check a page of
// `memscope report --html` the way a person uses it. Run by
// tests/report_browser.sh, which makes the pages:
//   node report_browser.js BROWSER PROFILE_DIR CHECK PAGE GOLDEN [...]
// CHECK is "top" (PAGE is one profile's report, GOLDEN `go tool pprof -top`
// text of it) or "diff" (PAGE is BASE NEW + a GC log, GOLDEN `go tool pprof
// -top -diff_base` text), "graph" (PAGE is `memscope graph --svg` output,
// GOLDEN a function one of its nodes shows: pan and zoom), or "guard" (PAGE must
// log a console error: it proves the error capture works). Prints "ok - ..." / "not ok - ..." lines;
// exits 1 if any check failed. Every wait is for an event or a condition of
// the page, bounded only by a long timeout: nothing depends on speed.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");

const [browser, profileDir, mode, page, golden] = process.argv.slice(2);
let failed = 0, passed = 0;
function check(ok, what) {
	if (ok) passed++; else failed++;
	console.log((ok ? "ok - " : "not ok - ") + what);
}

// ---- golden pprof -top text ------------------------------------------------
const UNITS = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, "": 1 };
function num(s) {
	const m = /^(-?[0-9.]+)([a-zA-Z]*)%?$/.exec(s.trim());
	if (!m || !(m[2] in UNITS)) throw new Error("cannot read value '" + s + "'");
	return parseFloat(m[1]) * UNITS[m[2]];
}
function readGolden(path) {
	const lines = fs.readFileSync(path, "utf8").split("\n");
	const h = lines.findIndex(l => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(l));
	const rows = [];
	for (const l of lines.slice(h + 1)) {
		const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(l);
		if (m) rows.push({ cells: m.slice(1, 7), flat: num(m[1]), cum: num(m[4]), name: m[6] });
	}
	return { header: lines.slice(0, h), rows };
}

// ---- the DevTools protocol over a pipe ---------------------------------------
const chrome = spawn(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--remote-debugging-pipe", "--user-data-dir=" + profileDir, "--window-size=1400,1000", "about:blank"],
	{ stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
let nextId = 1, inbuf = "";
const pending = new Map(), listeners = [];
chrome.stdio[4].on("data", d => {
	inbuf += d;
	let i;
	while ((i = inbuf.indexOf("\0")) >= 0) {
		const msg = JSON.parse(inbuf.slice(0, i));
		inbuf = inbuf.slice(i + 1);
		if (msg.id && pending.has(msg.id)) {
			const p = pending.get(msg.id);
			pending.delete(msg.id);
			if (msg.error) p.reject(new Error(p.method + ": " + msg.error.message)); else p.resolve(msg.result);
		} else if (msg.method) {
			for (const l of listeners) l(msg);
		}
	}
});
function send(method, params, sessionId) {
	const id = nextId++;
	const m = { id, method, params: params || {} };
	if (sessionId) m.sessionId = sessionId;
	chrome.stdio[3].write(JSON.stringify(m) + "\0");
	return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
}
function waitEvent(method, sessionId) {
	return new Promise(resolve => {
		const l = msg => {
			if (msg.method === method && msg.sessionId === sessionId) {
				listeners.splice(listeners.indexOf(l), 1);
				resolve(msg.params);
			}
		};
		listeners.push(l);
	});
}

async function main() {
	const { targetId } = await send("Target.createTarget", { url: "about:blank" });
	const { sessionId: s } = await send("Target.attachToTarget", { targetId, flatten: true });
	const errors = [], requests = [], blocked = new Set();
	listeners.push(msg => {
		if (msg.sessionId !== s) return;
		const p = msg.params;
		if (msg.method === "Runtime.exceptionThrown")
			errors.push("exception: " + (p.exceptionDetails.exception ? p.exceptionDetails.exception.description : p.exceptionDetails.text));
		else if (msg.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert"))
			errors.push("console." + p.type + ": " + p.args.map(a => a.value || a.description).join(" "));
		else if (msg.method === "Log.entryAdded" && p.entry.level === "error")
			errors.push("log: " + p.entry.text);
		else if (msg.method === "Network.requestWillBeSent")
			requests.push({ id: p.requestId, url: p.request.url });
		else if (msg.method === "Network.loadingFailed" && p.blockedReason === "csp")
			blocked.add(p.requestId);
	});
	for (const d of ["Runtime", "Log", "Network", "Page"]) await send(d + ".enable", {}, s);
	const url = "file://" + page;
	const loaded = waitEvent("Page.loadEventFired", s);
	await send("Page.navigate", { url }, s);
	await loaded;
	const ev = async expr => {
		const r = await send("Runtime.evaluate", { expression: expr, returnByValue: true }, s);
		if (r.exceptionDetails) throw new Error("evaluate " + expr + ": " + r.exceptionDetails.text);
		return r.result.value;
	};
	// the condition, polled until it holds (or a long bound passes)
	const until = async (expr, what) => {
		for (let i = 0; i < 3000; i++) {
			if (await ev(expr)) return true;
			await new Promise(r => setTimeout(r, 100));
		}
		check(false, "timed out waiting for " + what);
		return false;
	};
	// a real mouse click at the middle of the element that expr returns
	const click = async expr => {
		const b = await ev("(function(){var e=" + expr + ";e.scrollIntoView({block:'center'});" +
			"var r=e.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];})()");
		for (const type of ["mouseMoved", "mousePressed", "mouseReleased"])
			await send("Input.dispatchMouseEvent", { type, x: b[0], y: b[1], button: "left", clickCount: 1 }, s);
	};
	// the settled page: a round trip through the event loop after the load
	await ev("new Promise(r => setTimeout(r, 0))");

	if (mode === "guard") {
		check(errors.length > 0, "the error capture sees a page's error (" + errors.join("; ") + ")");
		const tried = requests.filter(r => r.url !== url);
		check(tried.length > 0 && tried.every(r => blocked.has(r.id)), "the page's policy blocked its image (" + tried.length + " tried)");
		return;
	}
	check(errors.length === 0, "no console errors" + (errors.length ? ": " + errors.join("; ") : ""));
	const others = requests.filter(r => r.url !== url).map(r => r.url);
	check(others.length === 0, "no network requests besides the page" + (others.length ? ": " + others.join(" ") : ""));
	if (mode === "graph") {
		await graphChecks(ev, s, golden);
		return;
	}
	check(await ev("document.querySelector('meta[http-equiv=Content-Security-Policy]').content.startsWith(\"default-src 'none'\")"),
		"the page forbids every source (CSP default-src 'none')");

	const g = readGolden(golden);
	const tableRows = id => ev("Array.from(document.querySelectorAll('#" + id + " tbody tr')).map(" +
		"tr => Array.from(tr.cells).map(td => td.textContent))");
	const byName = new Map(g.rows.map(r => [r.name, r]));
	// the column's golden values down the page's rows are in order
	const ordered = (rows, nameCol, value, desc) => {
		const vs = rows.map(r => value(byName.get(r[nameCol])));
		for (let i = 1; i < vs.length; i++)
			if (desc ? vs[i] > vs[i - 1] : vs[i] < vs[i - 1]) return false;
		return vs.length > 1;
	};

	if (mode === "top") {
		const rows = await tableRows("ms-top-table");
		check(JSON.stringify(rows) === JSON.stringify(g.rows.map(r => r.cells)),
			"the top table's " + rows.length + " rows are go tool pprof -top's (" + g.rows.length + ")");
		const summary = await ev("document.querySelector('#ms-summary pre').textContent");
		check(/Sample types:/.test(summary), "the summary shows the profile's sample types");
		const th = label => "Array.from(document.querySelectorAll('#ms-top-table th')).find(t => t.textContent === '" + label + "')";
		await click(th("cum"));
		await until(th("cum") + ".getAttribute('aria-sort') === 'descending'", "sort by cum");
		let r = await tableRows("ms-top-table");
		check(ordered(r, 5, x => x.cum, true) && r.length === g.rows.length, "a click on cum sorts by pprof's cum, largest first");
		await click(th("cum"));
		await until(th("cum") + ".getAttribute('aria-sort') === 'ascending'", "reverse sort by cum");
		r = await tableRows("ms-top-table");
		check(ordered(r, 5, x => x.cum, false), "a second click on cum reverses the order");
		await click(th("flat%"));
		await until(th("flat%") + ".getAttribute('aria-sort') === 'descending'", "sort by flat%");
		r = await tableRows("ms-top-table");
		check(ordered(r, 5, x => x.flat, true), "a click on flat% sorts by pprof's flat");
		await click(th("name"));
		await until(th("name") + ".getAttribute('aria-sort') === 'ascending'", "sort by name");
		r = await tableRows("ms-top-table");
		const names = g.rows.map(x => x.name).sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
		check(JSON.stringify(r.map(x => x[5])) === JSON.stringify(names), "a click on name sorts the names alphabetically");

		// flame graph: zoom with a click on a frame, back with the page's button
		const total = num(/ of (\S+) total/.exec(g.header.join("\n"))[1]);
		const frame = name => "Array.from(document.querySelectorAll('#frames > g')).find(g => g.fg && g.fg.name === '" + name + "')";
		const width = name => ev("parseFloat(" + frame(name) + ".querySelector('rect').getAttribute('width'))");
		const mm = byName.get("main.main"), pr = byName.get("main.parseRequest");
		const w0 = await width("main.main");
		check(Math.abs(w0 - 1180 * mm.cum / total) < 1, "main.main is " + w0.toFixed(1) + " px wide: its cum share of 1180 px");
		await click(frame("main.main") + ".querySelector('rect')");
		await until(frame("main.main") + ".querySelector('rect').getAttribute('width') === '1180.00'", "zoom on main.main");
		const wz = await width("main.parseRequest");
		check(Math.abs(wz - 1180 * pr.cum / mm.cum) < 1,
			"zoomed: main.parseRequest is " + wz.toFixed(1) + " px, its share of main.main's cum");
		check(await ev("document.getElementById('unzoom').classList.contains('hide') === false"), "zoomed: Reset Zoom shows");
		check(await ev("Array.from(document.querySelectorAll('#frames > g.hide')).length > 0"), "zoomed: frames outside main.main hide");
		await click("document.getElementById('ms-flame-unzoom')");
		await until("Math.abs(parseFloat(" + frame("main.main") + ".querySelector('rect').getAttribute('width')) - " + w0 + ") < 0.01",
			"Reset zoom");
		check(await ev("document.querySelectorAll('#frames > g.hide').length === 0"), "the page's Reset zoom shows every frame again");

		// search through the page's form: type, press Enter
		await click("document.getElementById('ms-flame-q')");
		await send("Input.insertText", { text: "parseRequest" }, s);
		for (const type of ["keyDown", "keyUp"])
			await send("Input.dispatchKeyEvent", { type, key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: type === "keyDown" ? "\r" : undefined }, s);
		await until("document.getElementById('ms-flame-matched').textContent !== ''", "search");
		const matched = await ev("document.getElementById('ms-flame-matched').textContent");
		const pct = parseFloat(/Matched: ([0-9.]+)%/.exec(matched + " Matched: NaN%")[1]);
		const want = parseFloat(pr.cells[4]);
		check(Math.abs(pct - want) < 0.06, "search 'parseRequest': '" + matched + "', pprof's cum% " + want + "%");
		check(await ev("Array.from(document.querySelectorAll('#frames rect')).filter(r => r.getAttribute('fill') === 'rgb(230,0,230)').length > 0"),
			"search: the matching frames are highlighted");
		await click("document.getElementById('ms-flame-clear')");
		await until("document.getElementById('ms-flame-matched').textContent === ''", "clear search");
		check(await ev("Array.from(document.querySelectorAll('#frames rect')).every(r => r.getAttribute('fill') !== 'rgb(230,0,230)')"),
			"Clear search restores the colours");
	} else if (mode === "diff") {
		check(await ev("document.getElementById('ms-gates').textContent") === "FAIL: 1 of 1 gate tripped", "the tripped gate is shown");
		check(await ev("document.querySelectorAll('#ms-gc svg rect').length > 10"), "the GC timeline is drawn");
		check(await ev("document.querySelector('#ms-flame-svg #title').textContent") === "Differential Flame Graph",
			"the flame graph is the differential one");
		const th = label => "Array.from(document.querySelectorAll('#ms-diff-table th')).find(t => t.textContent === '" + label + "')";
		let r = await tableRows("ms-diff-table");
		// each delta is pprof -diff_base's flat for the function
		const close = r.every(x => byName.has(x[4]) && Math.abs(num(x[2].replace(/^\+/, "")) - byName.get(x[4]).flat) <=
			0.006 * Math.abs(byName.get(x[4]).flat) + 10240);
		check(close && r.length > 1, "the diff table's deltas are go tool pprof -diff_base's flat values (" + r.length + " rows)");
		await click(th("delta"));
		await until(th("delta") + ".getAttribute('aria-sort') === 'descending'", "sort by delta");
		r = await tableRows("ms-diff-table");
		check(ordered(r, 4, x => x.flat, true), "a click on delta sorts by pprof's diff flat, largest first");
	}
}

// `memscope graph --svg` (PAGE; GOLDEN names a node of it, package.function): the wheel zooms
// about the pointer (the node under it stays put and grows by the script's
// factor exp(-deltaY/500)), a drag moves the drawing by the drag, key 0 puts
// it back. Positions are the node's screen box, read after each step.
async function graphChecks(ev, s, nodeTitle) {
	// pprof labels a node "package\nfunction\n...": its first two texts
	const box = () => ev("(function(){var n=Array.from(document.querySelectorAll('g.node')).find(g => {" +
		"var t=g.querySelectorAll('text');return t.length>1&&t[0].textContent+'.'+t[1].textContent===" + JSON.stringify(nodeTitle) + ";});" +
		"if(!n)return null;var r=n.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2,r.width];})()");
	check(await ev("document.getElementById('viewport') !== null && document.getElementById('viewport').contains(document.getElementById('graph0'))"),
		"the drawing is inside the pan/zoom viewport");
	const b0 = await box();
	check(b0 !== null && b0[2] > 0, "node '" + nodeTitle + "' is drawn" + (b0 ? " at " + b0.map(x => x.toFixed(1)).join(",") : ""));
	if (!b0) return;
	const mouse = (type, x, y, extra) => send("Input.dispatchMouseEvent", Object.assign({ type, x, y }, extra || {}), s);
	await mouse("mouseWheel", b0[0], b0[1], { deltaX: 0, deltaY: -200 });
	const k = Math.exp(200 / 500);
	let b1;
	for (let i = 0; i < 300; i++) {
		b1 = await box();
		if (Math.abs(b1[2] - b0[2]) > 0.01) break;
		await new Promise(r => setTimeout(r, 100));
	}
	check(Math.abs(b1[2] / b0[2] - k) < 0.01 * k, "the wheel zooms by exp(200/500) = " + k.toFixed(3) + ": width " +
		b0[2].toFixed(1) + " -> " + b1[2].toFixed(1));
	check(Math.hypot(b1[0] - b0[0], b1[1] - b0[1]) < 1.5, "the node under the pointer stays put (" +
		b1[0].toFixed(1) + "," + b1[1].toFixed(1) + ")");
	await mouse("mouseMoved", b1[0], b1[1]);
	await mouse("mousePressed", b1[0], b1[1], { button: "left", clickCount: 1 });
	await mouse("mouseMoved", b1[0] + 60, b1[1] + 30, { button: "left", buttons: 1 });
	await mouse("mouseMoved", b1[0] + 120, b1[1] + 70, { button: "left", buttons: 1 });
	await mouse("mouseReleased", b1[0] + 120, b1[1] + 70, { button: "left", clickCount: 1 });
	const b2 = await box();
	check(Math.abs(b2[0] - b1[0] - 120) < 1.5 && Math.abs(b2[1] - b1[1] - 70) < 1.5 && Math.abs(b2[2] - b1[2]) < 0.01,
		"a drag of (120, 70) px moves the drawing by it: (" + (b2[0] - b1[0]).toFixed(1) + ", " + (b2[1] - b1[1]).toFixed(1) + ")");
	for (const type of ["keyDown", "keyUp"])
		await send("Input.dispatchKeyEvent", { type, key: "0", code: "Digit0", windowsVirtualKeyCode: 48, text: type === "keyDown" ? "0" : undefined }, s);
	const b3 = await box();
	check(Math.hypot(b3[0] - b0[0], b3[1] - b0[1]) < 0.5 && Math.abs(b3[2] - b0[2]) < 0.01, "key 0 shows the whole graph again");
}

// ends the browser and waits for it, so its profile folder can be removed
main().then(() => {}, e => check(false, "driver: " + e.message)).finally(() => {
	chrome.on("exit", () => {
		console.log(passed + " passed, " + failed + " failed");
		process.exit(failed ? 1 : 0);
	});
	send("Browser.close").catch(() => {});
	setTimeout(() => chrome.kill(), 30000).unref();
});
