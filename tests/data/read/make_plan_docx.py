"""Regenerate tests/data/plan.docx from tests/data/plan.md (needs LibreOffice: `soffice` on PATH).

Markdown → HTML with the `markdown` package → LibreOffice Writer → .docx: headings become Heading N
styles and bold spans bold runs, as in a plan typed in Word. Run: `.venv/bin/python tests/data/read/make_plan_docx.py`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import markdown

DATA = Path(__file__).resolve().parents[1]


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice not found", file=sys.stderr)
        return 1
    body = markdown.markdown((DATA / "plan.md").read_text(encoding="utf-8"))
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>plan</title></head><body>{body}</body></html>'
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plan.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            timeout=120,
            capture_output=True,
        )
        shutil.copyfile(Path(tmp) / "plan.docx", DATA / "plan.docx")
    print(DATA / "plan.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
