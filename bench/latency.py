#!/usr/bin/env python3
"""Latency of pages and server functions over one keep-alive connection: `latency.py BASE N COOKIE LABEL=PATH…`.

A PATH starting with `POST ` is a form post (`POST /api/x?a=1&b=2` sends the query as the body). Prints one line per
label: `label<TAB>median_ms<TAB>p95_ms<TAB>status<TAB>lines`, where lines counts the list lines the last answer shows
(staff queue and supervision lines, `class="queue__item"`; theme cards, `class="card"`; and the lines of item lists),
so a reader can tell a page that grew slower with the data from one that shows more. Used by bench/scale."""
import http.client
import re
import statistics
import sys
import time
import urllib.parse


def main():
    base, n, cookie = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    host = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    for spec in sys.argv[4:]:
        label, target = spec.split("=", 1)
        method, body = "GET", None
        if target.startswith("POST "):
            method = "POST"
            path, _, body = target[5:].partition("?")
            target = path
        headers = {"Accept-Encoding": "identity", "Cookie": cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Sec-Fetch-Site"] = "same-origin"  # what a browser sends with the form
        times, status = [], None
        for i in range(n + 2):
            start = time.perf_counter()
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            page = resp.read()
            took = (time.perf_counter() - start) * 1000
            status = resp.status
            if i >= 2:  # two warm-up requests
                times.append(took)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        lines = page.count(b'class="queue__item"') + page.count(b'<li class="card"')
        lines += sum(ul.count(b"<li") for ul in re.findall(rb'<ul class="item-list">.*?</ul>', page, re.S))
        print(f"{label}\t{statistics.median(times):.2f}\t{p95:.2f}\t{status}\t{lines}")


if __name__ == "__main__":
    main()
