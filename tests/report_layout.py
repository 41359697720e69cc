#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""report_layout.py - render an HTML notification report in headless
Chromium at phone and desktop widths and measure it from the page: the
page must not scroll sideways at 412 px (a table may scroll inside its own
box), and no chart text may fall outside its chart.

    report_layout.py REPORT.html [--shots DIR]

Prints one line per width with the figures; exits 1 if a width fails, 77
if there is no Chromium (the caller decides whether that may skip).  The
report is loaded into an iframe of the exact width (headless Chromium will
not make a window narrower than 500 px), so its media queries see 412 px.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROBE = """<script>
window.addEventListener('load', function () {
  var page = document.scrollingElement || document.documentElement;
  var out = {width: window.innerWidth, scroll: page.scrollWidth, wide: [], clipped: []};
  document.querySelectorAll('body *').forEach(function (e) {
    if (e.closest('.scroll')) return;   /* a table's own box may scroll */
    var r = e.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 0.5) out.wide.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  });
  document.querySelectorAll('svg').forEach(function (svg, n) {
    var box = svg.getBoundingClientRect();
    svg.querySelectorAll('text').forEach(function (t) {
      var r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5))
        out.clipped.push('chart ' + (n + 1) + ': ' + t.textContent);
    });
  });
  var pre = parent.document.createElement('pre');
  pre.id = 'qc-measure';
  pre.textContent = JSON.stringify(out);
  parent.document.body.appendChild(pre);
});
</script>"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def measure(browser, report, width, shot):
    inner = report.replace("</body>", PROBE + "</body>")
    outer = ('<!DOCTYPE html><html><body style="margin:0"><iframe style="width:%dpx;height:2400px;border:0" '
             'srcdoc="%s"></iframe></body></html>' % (width, html.escape(inner, quote=True)))
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "page.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(outer)
        args = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=%d,2400" % max(width, 500), "--virtual-time-budget=3000"]
        dom = subprocess.run(args + ["--dump-dom", "file://" + page], capture_output=True, text=True, timeout=120).stdout
        if shot:
            subprocess.run(args + ["--screenshot=" + os.path.join(shot, "report-%d.png" % width), "file://" + page],
                           capture_output=True, timeout=120)
    m = re.search(r'<pre id="qc-measure">([^<]*)</pre>', dom)
    if not m:
        sys.exit("report_layout: the page gave no measurement at %d px" % width)
    return json.loads(html.unescape(m.group(1)))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: report_layout.py REPORT.html [--shots DIR]")
    browser = chromium()
    if not browser:
        print("report_layout: no chromium")
        return 77
    shots = sys.argv[sys.argv.index("--shots") + 1] if "--shots" in sys.argv else None
    if shots:
        os.makedirs(shots, exist_ok=True)
    with open(sys.argv[1], encoding="utf-8") as f:
        report = f.read()
    failed = False
    for width in (412, 1280):
        m = measure(browser, report, width, shots)
        over = m["scroll"] > m["width"]
        bad = over or m["clipped"]
        failed |= bool(bad)
        print("%s %d px: page %d px wide%s%s" % ("FAIL" if bad else "ok", width, m["scroll"],
              ("; wider than the screen: " + ", ".join(sorted(set(m["wide"]))[:8])) if over else "",
              ("; chart text cut: " + "; ".join(m["clipped"][:5])) if m["clipped"] else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
