#!/usr/bin/env python3
"""Fetch the third-party web assets the HTML report embeds (Leaflet, Natural Earth outlines).

They are not committed: this script gets them at install time from the npm registry with
``npm pack`` at exact versions, checks each tarball against the sha512 ``integrity`` the
registry published for it (hard-coded below, so a changed tarball is refused), and extracts
the few files the report needs, with their licences, into ``web-assets/`` under the user
data directory (``$WATCHFLOOR_DATA`` or ``platformdirs.user_data_dir("watchfloor")``, see
``watchfloor.config.data_dir``), never into the package: a wheel's contents do not depend on
whether this script ran. Assets an older version put in ``src/watchfloor/report/assets/``
are moved there instead of fetched again.

    python scripts/fetch_web_assets.py              # fetch (again)
    python scripts/fetch_web_assets.py --if-missing # do nothing when every file is there
    python scripts/fetch_web_assets.py --dest DIR   # somewhere else

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

REPO = Path(__file__).resolve().parent.parent
#: Where versions before the user data directory put the assets (inside the package).
LEGACY = REPO / "src" / "watchfloor" / "report" / "assets"


def default_dest() -> Path:
    """Return watchfloor's web-assets directory (the installed package's idea of it)."""
    try:
        from watchfloor.config import web_assets_dir
    except ImportError:  # run from a checkout without an installation
        sys.path.insert(0, str(REPO / "src"))
        from watchfloor.config import web_assets_dir
    return web_assets_dir()


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


def wanted_files(dest: Path) -> list[Path]:
    """List every asset file this script writes into DEST."""
    files = [dest / target for p in PACKAGES for target in p.members.values()]
    return [*files, dest / "NOTICE"]


def adopt_legacy(dest: Path, legacy: Path = LEGACY) -> bool:
    """Move a complete set of assets from the old in-package folder to DEST."""
    if legacy.resolve() == dest.resolve():
        return False
    old = wanted_files(legacy)
    if not all(f.exists() for f in old):
        return False
    dest.mkdir(parents=True, exist_ok=True)
    for f in old:
        shutil.move(f, dest / f.name)
    return True


def fetch_package(npm: str, package: Package, workdir: Path, dest: Path) -> None:
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
            tmp = dest / (target + ".part")
            tmp.write_bytes(handle.read())
            tmp.replace(dest / target)


def main(argv: list[str] | None = None) -> int:
    """Fetch, verify and extract the web assets; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when every asset is present"
    )
    parser.add_argument(
        "--dest", type=Path, help="where to put them (default: the user data directory)"
    )
    args = parser.parse_args(argv)
    dest: Path = args.dest or default_dest()
    if args.if_missing and all(f.exists() for f in wanted_files(dest)):
        print(f"web assets present in {dest}")
        return 0
    if args.if_missing and adopt_legacy(dest):
        print(f"web assets moved from {LEGACY} to {dest}")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print(
            "npm not found: install Node.js/npm and re-run this script; until then the HTML "
            "report uses a plain SVG map instead of Leaflet",
            file=sys.stderr,
        )
        return 1
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for package in PACKAGES:
                fetch_package(npm, package, Path(tmp), dest)
    except RuntimeError as exc:
        print(f"fetch_web_assets: {exc}", file=sys.stderr)
        return 1
    versions = {p.name: p.version for p in PACKAGES}
    (dest / "NOTICE").write_text(
        NOTICE.format(leaflet=versions["leaflet"], atlas=versions["world-atlas"]),
        encoding="utf-8",
    )
    print(f"web assets written to {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
