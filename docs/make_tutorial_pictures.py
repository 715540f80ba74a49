"""Render the README tutorial's pictures by running its commands: python docs/make_tutorial_pictures.py

Each step runs the real `handouts` command line in a fresh studio folder (in a
temporary directory), exactly as the tutorial shows it, and renders the page
the reader should see into docs/images/tutorial-*.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from handouts.layout.preview import page_pngs

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

#: What the tutorial's step 3 changes in the studio.yaml that `init` wrote.
BRANDING = {
    "# tagline:\n#   en: Pilates, yoga and somatic movement\n#   es: Pilates, yoga y movimiento somático":
        "tagline:\n  en: Pilates, yoga and somatic movement\n  es: Pilates, yoga y movimiento somático",
    "# logo: logo.svg": "logo: logo.svg",
    "# contact:": "contact:",
    "#   phone: (555) 014-2290": "  phone: (555) 014-2290",
    "#   email: hello@yourstudio.example": "  email: hello@harbourlight.example",
    "#   address: 12 Quay Street, Harbour Town": "  address: 12 Quay Street, Harbour Town",
    "#   website: https://yourstudio.example": "  website: https://harbourlight.example",
    'primary: "#1F4E5F"': 'primary: "#2A6F4E"',
}


def handouts(*args: str, cwd: Path) -> str:
    """Run the command line as a reader would; return what it printed."""
    done = subprocess.run([sys.executable, "-m", "handouts", *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, check=True)
    return done.stdout


def picture(pdf: Path, name: str, *, page: int = 1, scale: float = 0.75, crop=None) -> None:
    """Save one page (or the ``crop`` fractions left, top, right, bottom of it) as docs/images/<name>."""
    png = page_pngs(pdf.read_bytes(), scale=scale, pages=page)[page - 1]
    target = IMAGES / name
    target.write_bytes(png)
    if crop:
        image = Image.open(target)
        width, height = image.size
        left, top, right, bottom = crop
        image.crop((int(left * width), int(top * height), int(right * width), int(bottom * height))).save(target)
    print(target.relative_to(ROOT))


def around(pdf: Path, page: int, first: str, last: str, *, column: float = 0.0,
           margin: float = 10) -> tuple[float, float, float, float]:
    """The crop fractions of the block of lines from the one reading ``first`` down to the one reading ``last``,
    in the column that starts ``column`` of the way across the page."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        sheet = document.pages[page - 1]
        lines = sheet.within_bbox((sheet.width * column, 0, sheet.width, sheet.height)).extract_text_lines()
        start = next(i for i, line in enumerate(lines) if line["text"] == first)
        end = next(i for i, line in enumerate(lines) if i >= start and line["text"] == last)
        block = lines[start:end + 1]
        return ((min(line["x0"] for line in block) - margin) / sheet.width, (block[0]["top"] - margin) / sheet.height,
                (max(line["x1"] for line in block) + margin) / sheet.width,
                (block[-1]["bottom"] + margin) / sheet.height)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        handouts("init", "harbour-light", "--name", "Harbour Light Movement", "--paper", "letter", "--color", "#1F4E5F",
                 cwd=work)
        studio = work / "harbour-light"
        first = Path(handouts("build", cwd=studio).strip())
        picture(first, "tutorial-1-first-build.png")

        settings = studio / "studio.yaml"
        text = settings.read_text(encoding="utf-8")
        for old, new in BRANDING.items():
            assert old in text, f"studio.yaml from init no longer has {old!r}"
            text = text.replace(old, new)
        settings.write_text(text, encoding="utf-8")
        shutil.copy(ROOT / "docs" / "tutorial" / "logo.svg", studio / "logo.svg")
        branded = Path(handouts("build", cwd=studio).strip())
        picture(branded, "tutorial-2-branded.png")
        picture(branded, "tutorial-2-contact.png", page=2, scale=1.5,
                crop=around(branded, 2, "Harbour Light Movement", "harbourlight.example", column=0.5))

        personal = Path(handouts("build", "--client", "Zoë Łukasz", "--note", "A folded towel under your head",
                                 "--date", "2026-12-01", cwd=studio).strip())
        picture(personal, "tutorial-3-personal.png", scale=1.5, crop=(0, 0.03, 1, 0.185))


if __name__ == "__main__":
    main()
