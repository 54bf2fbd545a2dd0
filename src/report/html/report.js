/*
 * Script of nfguard's HTML report (-f html), embedded at build time and
 * allowed by its Content-Security-Policy hash: sorts the repository table
 * by the column whose header is clicked and filters its rows by status.
 * It reads the page only; it creates no element and no request.
 */
(function () {
	"use strict";
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
