#!/usr/bin/env python3
# Reads an nfguard HTML report (-f html) with Python's html.parser and
# prints, as JSON, what the e2e tests compare (the parts the DOM contract
# at the top of src/report/html.c names; each card's details as the
# page's script builds them from the card data); exits 1 with a message
# when the page breaks a rule every report keeps: one <style> and one
# <script> whose sha256 the Content-Security-Policy lists, no
# 'unsafe-inline', one script#card-data of type application/json with one
# entry per card and no "<" in it, no URL in any src/href/action but a
# #fragment, no on* attribute, no element but those the writer makes.
import base64
import hashlib
import html.parser
import json
import sys

VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr"}
# Every element the writer makes; one from the data would be another.
KNOWN = {"html", "head", "meta", "title", "style", "body", "header", "h1",
         "h2", "h3", "h4", "section", "dl", "dt", "dd", "code", "div", "b",
         "ul", "li", "p", "svg", "g", "title", "a", "text", "rect", "line",
         "label", "select", "option", "table", "thead", "tbody", "tr", "th",
         "td", "button", "article", "span", "footer", "script",
         "noscript"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.elements = []
        self.raw = {"style": [], "script": []}
        self.problems = []

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, tag not in VOID)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs, False)

    def start(self, tag, attrs, push):
        a = {}
        for k, v in attrs:
            if k in a:
                self.problems.append("duplicate attribute %s on <%s>" %
                                     (k, tag))
            a[k] = v if v is not None else ""
        e = {"tag": tag, "attrs": a, "text": "", "parent": None,
             "children": []}
        if self.stack:
            e["parent"] = self.stack[-1]
            self.stack[-1]["children"].append(e)
        self.elements.append(e)
        if tag in self.raw and not (tag == "script" and "type" in a):
            self.raw[tag].append("")
        if push:
            self.stack.append(e)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.problems.append("</%s> closes <%s>" %
                                 (tag, self.stack[-1]["tag"]
                                  if self.stack else "nothing"))
            return
        self.stack.pop()

    def handle_data(self, data):
        for e in self.stack:
            e["text"] += data
        if self.stack and self.stack[-1]["tag"] in self.raw and \
                "type" not in self.stack[-1]["attrs"]:
            self.raw[self.stack[-1]["tag"]][-1] += data


def cls(e):
    return e["attrs"].get("class", "").split()


def find(root, pred):
    out = []
    todo = [root]
    while todo:
        e = todo.pop()
        if pred(e):
            out.append(e)
        todo.extend(reversed(e["children"]))
    return out


def by_id(page, ident):
    hits = [e for e in page.elements if e["attrs"].get("id") == ident]
    return hits[0] if hits else None


def fields(root):
    return {e["attrs"]["data-field"]: e["text"]
            for e in find(root, lambda e: "data-field" in e["attrs"])}


def data(e):
    return {k[5:]: v for k, v in e["attrs"].items() if k.startswith("data-")}


def segments(list_):
    """The text of segments: strings as they are, code ([s]) as s."""
    return "".join(x if isinstance(x, str) else x[0] for x in list_)


def detail(card, data):
    """What the page's script builds for a card from its entry."""
    places = []
    for k, p in enumerate(card["places"]):
        places.append({
            "repository": data["repositories"][p[0]] if p[0] >= 0 else "",
            "path": p[1], "line": str(p[2]), "commit": p[3],
            "reachable": {1: "true", 0: "false"}.get(p[6], ""),
            "first": k == card["first"],
            "where": p[1] if p[1] else segments(p[7]),
            "date": p[4], "occurrences": p[5]})
    nxt = ["What to do next"]
    for rule, paragraphs in data["advice"][card["next"]]:
        nxt.append("fix (%s):" % rule)
        nxt.extend(paragraphs)
    return {"facts": {f: segments(v) for f, v in card["facts"]},
            "first": {f: segments(v) for f, v in card["seen"]},
            "places": places, "more": card["more"],
            "findings": card["n"], "repositories": card["nrepos"],
            "next": " ".join(" ".join(nxt).split())}


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    page = Page()
    page.feed(text)
    page.close()
    bad = list(page.problems)
    if page.stack:
        bad.append("unclosed <%s>" % page.stack[-1]["tag"])
    csp = [e["attrs"].get("content", "") for e in page.elements
           if e["tag"] == "meta" and
           e["attrs"].get("http-equiv", "").lower() ==
           "content-security-policy"]
    if len(csp) != 1:
        bad.append("%d CSP meta elements" % len(csp))
    csp = csp[0] if csp else ""
    if "unsafe" in csp:
        bad.append("the CSP allows unsafe sources")
    blocks = [e for e in page.elements if e["tag"] == "script" and
              "type" in e["attrs"]]
    if len(blocks) != 1 or blocks[0]["attrs"] != {
            "type": "application/json", "id": "card-data"}:
        bad.append("not one script#card-data of type application/json")
    cdata = {"cards": [], "repositories": [], "advice": []}
    for b in blocks:
        if "<" in b["text"]:
            bad.append("a < in the card data")
        try:
            cdata = json.loads(b["text"])
        except ValueError as e:
            bad.append("the card data is not JSON: %s" % e)
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        if len(page.raw[tag]) != 1:
            bad.append("%d <%s> elements" % (len(page.raw[tag]), tag))
        for body in page.raw[tag]:
            h = base64.b64encode(
                hashlib.sha256(body.encode("utf-8")).digest()).decode()
            if "%s 'sha256-%s'" % (directive, h) not in csp:
                bad.append("the CSP does not allow the <%s> by hash" % tag)
    urls = []
    for e in page.elements:
        if e["tag"] not in KNOWN:
            bad.append("unexpected element <%s>" % e["tag"])
        for k, v in e["attrs"].items():
            if k.startswith("on"):
                bad.append("event handler attribute %s" % k)
            if k in ("src", "href", "xlink:href", "action", "srcset"):
                urls.append(v)
                if not v.startswith("#"):
                    bad.append("a URL that is not a fragment: %s" % v)
            if k == "style":
                bad.append("a style attribute")
    if bad:
        for b in bad:
            print("htmlreport: " + b, file=sys.stderr)
        sys.exit(1)

    out = {"csp": csp, "title": next(e["text"] for e in page.elements
                                      if e["tag"] == "title"),
           "tags": {}, "urls": urls}
    for e in page.elements:
        out["tags"][e["tag"]] = out["tags"].get(e["tag"], 0) + 1
    out["scan"] = fields(by_id(page, "scan"))
    out["summary"] = {k[len("count-"):]: int(v)
                      for k, v in data(by_id(page, "summary")).items()}
    probs = by_id(page, "problems")
    out["problems"] = [] if probs is None else [
        dict(data(li), **{"class": li["attrs"].get("class", ""),
                          "text": li["text"]})
        for li in find(probs, lambda e: e["tag"] == "li")]
    out["bars"] = [
        dict(data(g), label=find(g, lambda e: e["tag"] == "text")[0]["text"],
             note="".join(t["text"] for t in find(
                 g, lambda e: "no-date" in cls(e))),
             rect=bool(find(g, lambda e: e["tag"] == "rect")),
             href=find(g, lambda e: e["tag"] == "a")[0]["attrs"]["href"])
        for g in find(by_id(page, "timeline"),
                      lambda e: e["tag"] == "g" and "bar" in cls(e))]
    repos = by_id(page, "repos")
    out["sort_keys"] = [th["attrs"]["data-sort"] for th in
                        find(repos, lambda e: e["tag"] == "th")]
    out["repos"] = [
        dict(data(tr), cells={td["attrs"]["data-key"]: td["text"]
                              for td in find(tr, lambda e: e["tag"] == "td")})
        for tr in find(repos, lambda e: e["tag"] == "tr" and
                       "data-status" in e["attrs"])]
    out["filter"] = [o["attrs"]["value"] for o in
                     find(by_id(page, "filter-status"),
                          lambda e: e["tag"] == "option")]
    out["cards"] = []
    cards = find(by_id(page, "tokens"),
                 lambda e: e["tag"] == "article" and "card" in cls(e))
    if len(cards) != len(cdata["cards"]):
        print("htmlreport: %d cards, %d entries in the card data" %
              (len(cards), len(cdata["cards"])), file=sys.stderr)
        sys.exit(1)
    for c, entry in zip(cards, cdata["cards"]):
        out["cards"].append(dict(
            data(c), id=c["attrs"]["id"],
            token=find(c, lambda e: "token" in cls(e))[0]["text"],
            seen=" ".join(find(c, lambda e: "seen" in cls(e))[0][
                "text"].split()),
            **detail(entry, cdata)))
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


main()
