"""The package as a user gets it: the sdist carries its tests, the wheel its data, and the
installed `kg` works from another folder.

Built without network: ``python -m build --no-isolation`` with the setuptools of the test extra;
the fresh venv sees this venv's dependencies through a ``.pth`` file, and the wheel is
installed with ``--no-deps --no-index``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, of this checkout."""
    pytest.importorskip("build", reason="the 'build' package is not installed: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "kg"
    # a copy without the venv, stores and caches: the build sees what a clean clone holds
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "kg-store", "out", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "server-db"))
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)], cwd=out)
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies are this venv's."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        cwd=venv.parent).stdout.strip())
    # after the venv's own site-packages: the wheel's kg comes first, the rest from here
    (purelib / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    wheel = next(dist.glob("*.whl"))
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
          str(wheel)], cwd=venv.parent)
    return venv / "bin"


def test_the_sdist_carries_the_tests_the_seeds_and_the_licence(dist: Path) -> None:
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "tests/conftest.py", "tests/test_packaging.py", "seeds/gold-claims.csv",
            "kg/data/parties.csv", "kg/data/ontology.ttl"} <= names
    assert any(name.startswith("tests/fixtures/") for name in names)


def test_the_wheel_carries_the_data_queries_templates_and_licence(dist: Path) -> None:
    with zipfile.ZipFile(next(dist.glob("*.whl"))) as wheel:
        names = set(wheel.namelist())
    assert {"kg/data/parties.csv", "kg/data/shapes.ttl", "kg/data/ontology.ttl", "kg/queries/agreements.rq",
            "kg/templates/graph.html"} <= names
    assert any(name.endswith("licenses/LICENSE") for name in names)


def test_the_installed_kg_extracts_builds_queries_and_renders_from_another_folder(
        installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    shutil.copytree(SEEDS, work / "articles")
    where = _run([str(installed / "python"), "-c", "import kg; print(kg.__file__)"], cwd=work).stdout
    assert where.startswith(str(installed.parent)), f"kg imported from {where}, not from the wheel"
    kg = str(installed / "kg")
    _run([kg, "extract", "articles", "-o", "claims.csv"], cwd=work)
    assert (work / "claims.csv").read_text(encoding="utf-8").count("\n") > 1
    _run([kg, "build", "articles", "--store", "store", "-q"], cwd=work)
    rows = _run([kg, "query", "--store", "store", "agreements", "--format", "csv"], cwd=work).stdout
    assert rows.count("\n") > 1
    _run([kg, "render", "--store", "store", "-o", "graph.html"], cwd=work)
    assert "<html" in (work / "graph.html").read_text(encoding="utf-8").lower()
