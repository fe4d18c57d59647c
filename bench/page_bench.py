"""Page timings: every page of the web app, cold and warm, and its first paint in Chromium.

Goal (issue 14, item 7): /progress at most 60 ms warm, the first paint of every page under
200 ms. `hipflex serve` runs in a subprocess on loopback with its SQLite file in a
temporary folder, seeded through the API (an assessment, a session, pain, sitting, a note).

- cold: the first request for the page after the app started (a fresh server per page,
  probed with a static file only, so nothing of the page was built before);
- warm: the median (and the slowest) of the next requests for it;
- first paint: first-contentful-paint in Debian's Chromium against the warm server, the
  median of three visits per page in one browser context (the stylesheet and scripts
  cached after the first page, as for someone moving between pages).

Run with `make bench` or `python bench/page_bench.py [--repeat 20]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from web_bench import TIGHT_ASSESSMENT, free_port, start, stop

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
PAGES = (
    "/",
    "/assess",
    "/assess?safety=1",
    "/safety",
    "/plan",
    "/today",
    "/session?slot=morning",
    "/break",
    "/log",
    "/progress",
    "/learn",
    "/learn/stretching",
    "/learn/faq",
    "/exercises",
    "/exercises/half_kneeling_hip_flexor",
    "/settings",
)
PROGRESS_GOAL_MS = 60.0
FIRST_PAINT_GOAL_MS = 200.0


def seed(base_url: str) -> None:
    with httpx.Client(base_url=f"{base_url}/api/v1") as http:
        http.headers["X-CSRF-Token"] = http.get("/csrf").json()["token"]
        http.post("/assessments", json=TIGHT_ASSESSMENT).raise_for_status()
        http.put("/preferences", json={"floor_at_work": True}).raise_for_status()
        for path, body in (
            ("logs/pain", {"score": 5}),
            ("logs/sitting", {"hours": 8.5}),
            ("logs/notes", {"text": "stiff after a long meeting"}),
            ("logs/sessions", {"slot": "morning", "pain_before": 5, "pain_after": 4}),
        ):
            http.post(path, json=body).raise_for_status()


def timed_get(http: httpx.Client, path: str) -> float:
    began = time.perf_counter()
    response = http.get(path)
    elapsed = (time.perf_counter() - began) * 1000
    response.raise_for_status()
    return elapsed


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "hipflex"), "serve", "--port", str(port)]
    return start(command, env, f"{base_url}/static/favicon.svg"), base_url


def first_paints(base_url: str, visits: int = 3) -> dict[str, float]:
    """first-contentful-paint per page, in ms from the navigation's start: the median of
    `visits` visits in one browser context (the static files cached after the first page,
    as for someone moving between pages)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    if not CHROMIUM.exists():
        return {}
    found: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(f"{base_url}/learn", wait_until="load")  # the browser's own first costs
        for path in PAGES:
            paints = []
            for _ in range(visits):
                page.goto(f"{base_url}{path}", wait_until="load")
                for _ in range(100):  # polled: the page's policy forbids wait_for_function
                    paint = page.evaluate(
                        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime"
                    )
                    if paint is not None:
                        paints.append(paint)
                        break
                    page.wait_for_timeout(20)
            if paints:
                found[path] = statistics.median(paints)
        context.close()
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="warm requests per page")
    args = parser.parse_args()
    cold: dict[str, float] = {}
    warm: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="hipflex-page-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIPFLEX_")} | {
            "HIPFLEX_DATA_DIR": folder
        }
        server, base_url = serve(env)
        try:
            seed(base_url)
        finally:
            stop(server)
        for path in PAGES:  # a fresh server for each page's cold request
            server, base_url = serve(env)
            try:
                with httpx.Client(base_url=base_url) as http:
                    cold[path] = timed_get(http, path)
            finally:
                stop(server)
        server, base_url = serve(env)
        try:
            with httpx.Client(base_url=base_url) as http:
                for path in PAGES:
                    timed_get(http, path)  # warm it up
                for path in PAGES:
                    warm[path] = [timed_get(http, path) for _ in range(args.repeat)]
            paints = first_paints(base_url)
        finally:
            stop(server)

    print(f"{'page':<40} {'cold ms':>8} {'warm p50':>9} {'warm max':>9} {'1st paint':>10}")
    for path in PAGES:
        paint = paints.get(path)
        shown = "-" if paint is None else f"{paint:.0f}"
        print(
            f"{path:<40} {cold[path]:>8.1f} {statistics.median(warm[path]):>9.1f}"
            f" {max(warm[path]):>9.1f} {shown:>10}"
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.repeat} warm requests per page, {os.cpu_count()} CPUs, load average {load}")
    progress = statistics.median(warm["/progress"])
    slowest = max(paints.values(), default=0.0)
    print(
        f"/progress warm p50 {progress:.1f} ms (goal <= {PROGRESS_GOAL_MS:g}); slowest first "
        f"paint {slowest:.0f} ms (goal < {FIRST_PAINT_GOAL_MS:g})"
    )


if __name__ == "__main__":
    main()
