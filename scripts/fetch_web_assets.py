#!/usr/bin/env python3
"""Fetch the third-party web assets the HTML report embeds (Leaflet, Natural Earth outlines).

They are not committed: this script gets them at install time from the npm registry with
``npm pack`` at exact versions, checks each tarball against the sha512 ``integrity`` the
registry published for it (hard-coded below, so a changed tarball is refused), and extracts
the few files the report needs, with their licences, into
``src/watchfloor/report/assets/``.

    python scripts/fetch_web_assets.py              # fetch (again)
    python scripts/fetch_web_assets.py --if-missing # do nothing when every file is there

Exit status 0 on success, 1 when npm is missing or a download or check failed. The report
still renders without the assets (plain SVG map instead of Leaflet), so a failure here is
not fatal to the rest of the installation.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "src" / "watchfloor" / "report" / "assets"


@dataclass(frozen=True)
class Package:
    """One npm tarball and the members to copy out of it (member path -> asset file name)."""

    name: str
    version: str
    integrity: str
    members: dict[str, str]


# Integrity strings from `npm view <name>@<version> dist.integrity`.
PACKAGES = (
    Package(
        name="leaflet",
        version="1.9.4",
        integrity="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        members={
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/LICENSE": "LICENSE.leaflet",
        },
    ),
    Package(
        name="world-atlas",
        version="2.0.2",
        integrity="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
        members={
            "package/countries-110m.json": "countries-110m.json",
            "package/LICENSE": "LICENSE.world-atlas",
        },
    ),
)

NOTICE = """Third-party files fetched by scripts/fetch_web_assets.py (not committed):
- leaflet.js, leaflet.css: Leaflet {leaflet} (BSD-2-Clause), see LICENSE.leaflet
- countries-110m.json: world-atlas {atlas} (ISC), see LICENSE.world-atlas; the outlines
  are Natural Earth 1:110m admin-0 countries, public domain (naturalearthdata.com)
"""


def integrity_of(path: Path) -> str:
    """Return the npm-style ``sha512-<base64>`` integrity string of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def wanted_files() -> list[Path]:
    """List every asset file this script writes."""
    files = [ASSETS / target for p in PACKAGES for target in p.members.values()]
    return [*files, ASSETS / "NOTICE"]


def fetch_package(npm: str, package: Package, workdir: Path) -> None:
    """Download one tarball with ``npm pack``, verify it and extract its members."""
    spec = f"{package.name}@{package.version}"
    proc = subprocess.run(
        [npm, "pack", spec, "--silent", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed: {proc.stderr.strip() or proc.stdout}")
    tarball = workdir / f"{package.name}-{package.version}.tgz"
    if not tarball.exists():
        raise RuntimeError(f"npm pack {spec} did not write {tarball.name}")
    got = integrity_of(tarball)
    if got != package.integrity:
        raise RuntimeError(
            f"{tarball.name}: integrity mismatch, expected {package.integrity}, got {got}; "
            "refusing to use it"
        )
    with tarfile.open(tarball, "r:gz") as tar:
        for member, target in package.members.items():
            handle = tar.extractfile(member)
            if handle is None:
                raise RuntimeError(f"{tarball.name} has no file {member}")
            # Write through a temporary name so an interrupted run leaves no half file.
            tmp = ASSETS / (target + ".part")
            tmp.write_bytes(handle.read())
            tmp.replace(ASSETS / target)


def main(argv: list[str] | None = None) -> int:
    """Fetch, verify and extract the web assets; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when every asset is present"
    )
    args = parser.parse_args(argv)
    if args.if_missing and all(f.exists() for f in wanted_files()):
        print(f"web assets present in {ASSETS}")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print(
            "npm not found: install Node.js/npm and re-run this script; until then the HTML "
            "report uses a plain SVG map instead of Leaflet",
            file=sys.stderr,
        )
        return 1
    ASSETS.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for package in PACKAGES:
                fetch_package(npm, package, Path(tmp))
    except RuntimeError as exc:
        print(f"fetch_web_assets: {exc}", file=sys.stderr)
        return 1
    versions = {p.name: p.version for p in PACKAGES}
    (ASSETS / "NOTICE").write_text(
        NOTICE.format(leaflet=versions["leaflet"], atlas=versions["world-atlas"]),
        encoding="utf-8",
    )
    print(f"web assets written to {ASSETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
