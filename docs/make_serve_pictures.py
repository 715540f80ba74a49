"""Take the README's pictures of `handouts serve` from the real page: python docs/make_serve_pictures.py

The page is served for the tests' branded studio (its knee-folds content, and one too long for the
fixed layouts) and photographed in the system Chromium, one picture a page: one handout being typed,
a roster dropped, the class built, and the check.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from handouts.project import Project  # noqa: E402

from servedesk import chromium, drop_file, export_roster, make_studio, preview_settled, serving  # noqa: E402

IMAGES = ROOT / "docs" / "images"
VIEW = {"width": 1280, "height": 860}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="serve-pictures-"))
    studio = make_studio(work / "studio")
    with serving(Project.discover(studio)) as url, chromium(work / "profile", viewport=VIEW) as context:
        page = context.new_page()
        page.goto(url)
        page.select_option("#content", "knee-folds.en")
        page.wait_for_selector("label.card:has(input[value=trifold]) img")
        page.click("label.card:has(input[value=trifold])")
        page.type("#client", "Zoë Łukasz", delay=20)
        page.type("#note", "A folded towel under your head", delay=10)
        page.fill("#class_name", "Tuesday 6 pm Mat")
        preview_settled(page)
        page.screenshot(path=IMAGES / "serve-handout.png")

        page.goto(url + "class")
        drop_file(page, "#drop", "tuesday.csv", export_roster(7, cancelled=(3,), languages={5: "Elvish"}))
        page.wait_for_selector("#roster-read")
        page.screenshot(path=IMAGES / "serve-class.png", full_page=True)
        page.select_option("#build #content", "knee-folds.en")
        page.fill("#build #class_name", "Tuesday 6 pm Mat")
        page.click("#build button.main")
        page.wait_for_selector("#pack")
        page.screenshot(path=IMAGES / "serve-class-built.png")

        page.goto(url + "check?content=long-folds")
        page.wait_for_selector("#check-summary")
        page.screenshot(path=IMAGES / "serve-check.png")
    for name in ("serve-handout", "serve-class", "serve-class-built", "serve-check"):
        print(IMAGES / f"{name}.png")


if __name__ == "__main__":
    main()
