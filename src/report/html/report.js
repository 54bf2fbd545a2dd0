/*
 * Script of nfguard's HTML report (-f html), embedded at build time and
 * allowed by its Content-Security-Policy hash: sorts the repository table
 * by the column whose header is clicked and filters its rows by status,
 * and builds each token card's details from the page's card data when
 * the card comes near the viewport, or before the page is printed. Every
 * text is set as textContent; it makes no request.
 */
(function () {
	"use strict";

	/* The card data: read once, when a card is first built. */
	var data = null;
	var labels = {
		rule: "rule", verification: "verification", project: "project",
		revocation: "revocation", exposed: "exposed",
		repository: "repository", commit: "commit", path: "where",
		line: "line", author: "author", date: "date",
		encoding: "hidden by"
	};

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls) {
			e.className = cls;
		}
		if (text !== undefined) {
			e.textContent = text;
		}
		return e;
	}

	/* Segments: a string is text, an array of one string is code. */
	function segments(parent, list) {
		list.forEach(function (s) {
			parent.appendChild(typeof s === "string" ?
				document.createTextNode(s) : el("code", null, String(s[0])));
		});
		return parent;
	}

	function facts(cls, list) {
		var dl = el("dl", cls);

		list.forEach(function (f) {
			var dd = el("dd");

			dd.setAttribute("data-field", f[0]);
			dl.appendChild(el("dt", null, labels[f[0]] || f[0]));
			dl.appendChild(segments(dd, f[1]));
		});
		return dl;
	}

	function plural(n, one, many) {
		return n + " " + (n === 1 ? one : many);
	}

	var columns = ["repository", "where", "line", "commit", "date",
		"occurrences", "reachable"];

	/* A place: [repository, path, line, commit, date, occurrences,
	   reachable, where (without a path)]. */
	function place(p, first) {
		var tr = el("tr", first ? "place first" : "place");
		var repo = p[0] >= 0 ? data.repositories[p[0]] : "";
		var reach = p[6] === 1 ? "true" : p[6] === 0 ? "false" : "";
		var where = el("td");
		var line = el("td", "num", String(p[2]));
		var commit = el("td");

		tr.setAttribute("data-repository", repo);
		tr.setAttribute("data-path", p[1]);
		tr.setAttribute("data-line", String(p[2]));
		tr.setAttribute("data-commit", p[3]);
		tr.setAttribute("data-reachable", reach);
		segments(where, p[1] ? [[p[1]]] : p[7] || []);
		commit.appendChild(el("code", null, p[3].slice(0, 12)));
		[el("td", null, repo), where, line, commit, el("td", null, p[4]),
			el("td", null, p[5] ? String(p[5]) : ""),
			el("td", null, reach === "true" ? "yes" :
				reach === "false" ? "no: no ref reaches it" : "")
		].forEach(function (td) {
			tr.appendChild(td);
		});
		return tr;
	}

	function places(c) {
		var table = el("table", "places");
		var head = el("tr");
		var body = el("tbody");
		var more;

		columns.forEach(function (name) {
			head.appendChild(el("th", name === "line" ? "num" : null, name));
		});
		table.appendChild(el("thead")).appendChild(head);
		c.places.forEach(function (p, k) {
			body.appendChild(place(p, k === c.first));
		});
		if (c.more) {
			more = el("tr", "more");
			more.setAttribute("data-count", String(c.more));
			more.appendChild(el("td", null, "and " + c.more +
				" more (the JSON report lists every one)"));
			more.firstChild.setAttribute("colspan", "7");
			body.appendChild(more);
		}
		table.appendChild(body);
		return table;
	}

	function next(advice) {
		var div = el("div", "next");

		div.appendChild(el("h4", null, "What to do next"));
		advice.forEach(function (rule) {
			var p = el("p", "fix-rule", "fix (");

			p.appendChild(el("code", null, rule[0]));
			p.appendChild(document.createTextNode("):"));
			div.appendChild(p);
			rule[1].forEach(function (text) {
				div.appendChild(el("p", null, text));
			});
		});
		return div;
	}

	function build(card, i) {
		var c, d;

		if (card.querySelector(".detail")) {
			return;
		}
		if (data === null) {
			data = JSON.parse(document.getElementById("card-data")
				.textContent);
		}
		c = data.cards[i];
		d = el("div", "detail");
		d.appendChild(el("p", "fingerprint",
			card.getAttribute("data-fingerprint")));
		d.appendChild(facts("facts", c.facts));
		d.appendChild(el("h4", null, "First appeared"));
		d.appendChild(facts("facts first-seen", c.seen));
		d.appendChild(el("h4", null, "Every place (" +
			plural(c.n, "finding", "findings") +
			(c.nrepos ? ", in " +
				plural(c.nrepos, "repository", "repositories") : "") +
			")"));
		d.appendChild(places(c));
		d.appendChild(next(data.advice[c.next]));
		card.appendChild(d);
	}

	var cards = document.querySelectorAll("#tokens article.card");
	var index = new Map();

	Array.prototype.forEach.call(cards, function (card, i) {
		index.set(card, i);
	});

	function buildAll() {
		Array.prototype.forEach.call(cards, build);
	}

	/* Cards are built a little before they scroll into view. */
	if (cards.length && "IntersectionObserver" in window) {
		var seen = new IntersectionObserver(function (entries) {
			entries.forEach(function (e) {
				if (e.isIntersecting) {
					seen.unobserve(e.target);
					build(e.target, index.get(e.target));
				}
			});
		}, {rootMargin: "1000px 0px"});

		Array.prototype.forEach.call(cards, function (card) {
			seen.observe(card);
		});
	} else {
		buildAll();
	}
	window.addEventListener("beforeprint", buildAll);

	var table = document.getElementById("repos");
	var filter = document.getElementById("filter-status");

	if (!table || !table.tHead || !table.tBodies.length) {
		return;
	}
	var body = table.tBodies[0];
	var heads = table.tHead.rows[0].cells;

	/* A cell's sort key: its data-value, else its text. */
	function key(row, i, numeric) {
		var cell = row.cells[i];
		var v = cell ? cell.getAttribute("data-value") : "";

		if (v === null) {
			v = cell.textContent;
		}
		return numeric ? Number(v) : v;
	}

	function sortBy(th, i) {
		var numeric = th.getAttribute("data-type") === "num";
		var ascending = th.getAttribute("aria-sort") !== "ascending";
		var rows = Array.prototype.slice.call(body.rows);
		var j;

		rows.forEach(function (row, at) {
			row.setAttribute("data-order", String(at));
		});
		rows.sort(function (a, b) {
			var x = key(a, i, numeric);
			var y = key(b, i, numeric);
			var c = x < y ? -1 : x > y ? 1 : 0;

			if (!ascending) {
				c = -c;
			}
			return c || Number(a.getAttribute("data-order")) -
				Number(b.getAttribute("data-order"));
		});
		for (j = 0; j < heads.length; j++) {
			heads[j].removeAttribute("aria-sort");
		}
		th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
		rows.forEach(function (row) {
			row.removeAttribute("data-order");
			body.appendChild(row);
		});
	}

	Array.prototype.forEach.call(heads, function (th, i) {
		var button = th.querySelector("button");

		if (button && th.hasAttribute("data-sort")) {
			button.addEventListener("click", function () {
				sortBy(th, i);
			});
		}
	});

	function applyFilter() {
		var want = filter.value;

		Array.prototype.forEach.call(body.rows, function (row) {
			row.hidden = want !== "" &&
				row.getAttribute("data-status") !== want;
		});
	}

	if (filter) {
		filter.addEventListener("change", applyFilter);
		applyFilter();
	}
})();
