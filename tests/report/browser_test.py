"""The sample's report in a real browser (headless Chromium).

1. `carteira report` on the sample, in pt-BR and en.
2. A screenshot at 1280x4000: a PNG of that size with real content (many
   colours, a good share of the page not background), decoded here with
   zlib alone.
3. The DOM Chromium parsed (--dump-dom): every chart is an
   svg[data-chart] with child elements, and its drawn items match its
   data-series (one bar per status, 25 R x FM cells, cohort cells, the two
   Lorenz curves, a bar per rep row of the table). Counting the parsed DOM,
   not the file, proves the markup survives an HTML parser intact.

Usage: browser_test.py CARTEIRA_BINARY SAMPLE_DIR WORK_DIR
Exits 77 (ctest SKIP_RETURN_CODE) when Chromium is absent; scripts/setup
installs Debian's `chromium`. CARTEIRA_CHROMIUM names another browser
binary. Standard library only.
"""

import html.parser
import os
import shutil
import struct
import subprocess
import sys
import zlib

SKIP = 77
WIDTH, HEIGHT = 1280, 4000
failures = []


def check(name, condition, detail=""):
    if not condition:
        failures.append(name)
        print(f"FAILED: {name} {detail}", file=sys.stderr)


def find_chromium():
    chosen = os.environ.get("CARTEIRA_CHROMIUM")  # a browser of one's choice
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def chromium(browser, work, *args):
    # A private profile, no network (the report must need none), no GPU.
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=work, XDG_CACHE_HOME=work)
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--user-data-dir=" + os.path.join(work, "profile"),
               "--host-resolver-rules=MAP * ~NOTFOUND", *args]
    return subprocess.run(command, env=env, capture_output=True, timeout=180)


# ---- PNG --------------------------------------------------------------------


def read_png(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, bytearray()
    width = height = ctype = depth = interlace = None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if depth != 8 or ctype not in (2, 6) or interlace != 0:
        raise ValueError(f"unexpected PNG format depth={depth} colour={ctype} interlace={interlace}")
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if kind == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif kind == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def check_screenshot(path):
    size = os.path.getsize(path) if os.path.exists(path) else 0
    check("screenshot written", size > 0)
    if not size:
        return
    check("screenshot is not trivially small", size > 60_000, f"({size} bytes)")
    width, height, bpp, rows = read_png(path)
    check("screenshot size", (width, height) == (WIDTH, HEIGHT), f"({width}x{height})")
    counts = {}
    for row in rows[::4]:
        for x in range(0, len(row), bpp * 4):
            colour = row[x:x + 3]
            counts[colour] = counts.get(colour, 0) + 1
    total = sum(counts.values())
    background = max(counts.values())
    print(f"screenshot: {size} bytes, {len(counts)} colours sampled, "
          f"{100 * (1 - background / total):.1f}% not the commonest colour")
    check("screenshot has many colours", len(counts) >= 64, f"({len(counts)})")
    check("screenshot is not one colour", background / total < 0.90)
    # Content all down the page, not only a header: every 500-pixel band
    # down to 3500 holds more than background.
    for top in range(0, 3500, 500):
        band = {row[x:x + 3] for row in rows[top:top + 500:5] for x in range(0, len(row), bpp * 8)}
        check(f"screenshot band {top}-{top + 500} has content", len(band) >= 8, f"({len(band)} colours)")


# ---- DOM --------------------------------------------------------------------


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return self.attrs.get("class", "").split()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class Dom(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent


def count(svg, tag, cls):
    return sum(1 for e in svg.walk() if e.tag == tag and cls in e.classes())


def check_dom(dom_text, language):
    parser = Dom()
    parser.feed(dom_text)
    elements = list(parser.root.walk())
    charts = {e.attrs.get("data-chart"): e for e in elements if e.tag == "svg" and "chart" in e.classes()}
    check(f"{language}: no script in the page", not any(e.tag == "script" for e in elements))
    expected = ["status", "segments", "rfm-grid", "cohort", "lorenz", "rep-revenue", "rep-positivacao"]
    for name in expected:
        check(f"{language}: chart {name} exists", name in charts)
    if not all(name in charts for name in expected):
        return
    for name, svg in charts.items():
        drawn = [e for e in svg.walk() if e.tag in ("rect", "path", "line", "circle", "text")]
        check(f"{language}: chart {name} has drawn elements", len(drawn) > 5, f"({len(drawn)})")
        series = int(svg.attrs.get("data-series", "-1"))
        if name in ("status", "segments", "rep-revenue", "rep-positivacao"):
            bars = count(svg, "rect", "bar")
            check(f"{language}: {name} has a bar per series", bars == series, f"({bars} bars, {series} series)")
            widths = [float(e.attrs.get("width", "0")) for e in svg.walk() if "bar" in e.classes()]
            check(f"{language}: {name} draws some bar", any(w > 0 for w in widths))
    check(f"{language}: status has a bar per status", int(charts["status"].attrs["data-series"]) == 7)
    check(f"{language}: the R x FM map has 25 cells", count(charts["rfm-grid"], "rect", "cell") == 25)
    cohort = charts["cohort"]
    cells = count(cohort, "rect", "cell")
    check(f"{language}: cohort cells", cells > 0 and cells == int(cohort.attrs["data-cells"]),
          f"({cells} cells, data-cells {cohort.attrs.get('data-cells')})")
    check(f"{language}: cohorts", int(cohort.attrs["data-series"]) > 0)
    lorenz = charts["lorenz"]
    curves = [e for e in lorenz.walk() if e.tag == "path" and "curve" in e.classes()]
    check(f"{language}: Lorenz has two curves", len(curves) == 2 == int(lorenz.attrs["data-series"]))
    curve = [c for c in curves if c.attrs.get("data-series-name") == "lorenz"]
    check(f"{language}: the Lorenz curve has points",
          bool(curve) and int(curve[0].attrs.get("data-points", "0")) > 2 and curve[0].attrs.get("d", "").count("L") > 2)
    rep_rows = [e for e in elements if e.tag == "tr" and "data-rep" in e.attrs]
    check(f"{language}: a rep bar per rep row", len(rep_rows) == int(charts["rep-revenue"].attrs["data-series"]),
          f"({len(rep_rows)} rows)")
    kpis = [e for e in elements if e.tag == "tr" and "data-kpi" in e.attrs]
    check(f"{language}: the KPI table", len(kpis) >= 20, f"({len(kpis)} rows)")


def main():
    carteira, sample, work = sys.argv[1:4]
    browser = find_chromium()
    if browser is None:
        print("SKIP: chromium not found (scripts/setup installs Debian's chromium)")
        return SKIP
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for language in ("pt-BR", "en"):
        out = os.path.join(work, f"report-{language}.html")
        result = subprocess.run([carteira, "report", "--data", sample, "--lang", language, "--out", out],
                                capture_output=True, text=True)
        check(f"carteira report --lang {language} exits 0", result.returncode == 0, result.stderr)
        if result.returncode != 0:
            continue
        url = "file://" + os.path.abspath(out)
        dom = chromium(browser, work, "--dump-dom", url)
        check(f"{language}: chromium --dump-dom exits 0", dom.returncode == 0, dom.stderr[-2000:])
        check_dom(dom.stdout.decode("utf-8"), language)
        if language == "pt-BR":
            png = os.path.join(work, "report.png")
            shot = chromium(browser, work, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", url)
            check("chromium --screenshot exits 0", shot.returncode == 0, shot.stderr[-2000:])
            check_screenshot(png)
    print(f"browser test: {len(failures)} failed" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
