"""Front-end assets: content-hashed names, pre-compressed copies, and asset_url() for templates.

`python -m pathway.assets` (run by `make assets` after Sass) copies the built files into
static/dist/ as name.<hash>.ext, writes .gz and .br beside each, and a manifest.json that
asset_url() reads. WhiteNoise serves them with far-future cache headers.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
DIST = STATIC / "dist"
NODE = ROOT / "node_modules"

SOURCES = {
    "app.css": STATIC / "build" / "app.css",
    "govuk-frontend.min.js": NODE / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.js",
    "htmx.min.js": NODE / "htmx.org" / "dist" / "htmx.min.js",
    "favicon.svg": STATIC / "src" / "favicon.svg",
}

HASHED_NAME = re.compile(r"^dist/.+\.[0-9a-f]{12}\.[a-z]+$")


def build() -> dict[str, str]:
    if DIST.exists():
        shutil.rmtree(DIST)
    DIST.mkdir(parents=True)
    manifest = {}
    for name, source in SOURCES.items():
        if not source.exists():
            raise SystemExit(f"Missing {source}: run `make assets` (it installs npm packages and runs Sass)")
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        stem, ext = name.rsplit(".", 1)
        hashed = f"{stem}.{digest}.{ext}"
        (DIST / hashed).write_bytes(data)
        manifest[name] = f"dist/{hashed}"
    (DIST / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    _compress()
    return manifest


def _compress() -> None:
    from whitenoise.compress import Compressor

    compressor = Compressor(quiet=True)
    for path in DIST.iterdir():
        if path.suffix in {".css", ".js", ".svg"}:
            for _ in compressor.compress(str(path)):
                pass


def load_manifest() -> dict[str, str]:
    path = DIST / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def is_immutable(path: str, url: str) -> bool:
    """WhiteNoise: hashed files never change, so browsers may cache them for a year."""
    return bool(HASHED_NAME.match(url.removeprefix("/static/")))


if __name__ == "__main__":
    result = build()
    for logical, hashed in result.items():
        print(f"{logical} -> static/{hashed}")
    sys.exit(0)
