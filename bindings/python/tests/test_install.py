"""`pip install --no-build-isolation ./bindings/python` (Debian's setuptools,
no PyPI) installs a package that carries libcarteira.so and finds it
without CARTEIRA_LIBRARY."""

import os
import shutil
import subprocess
import sys

import pytest


def test_pip_install_carries_the_library(repo, tmp_path):
    library = os.environ.get("CARTEIRA_LIBRARY")
    if not library or not os.path.isfile(library):
        pytest.skip("no built libcarteira.so to package")
    source = tmp_path / "src"
    shutil.copytree(repo / "bindings" / "python", source,
                    ignore=shutil.ignore_patterns("tests", "__pycache__", "*.so*", "build", "*.egg-info"))
    shutil.copy(library, source / "carteira" / "libcarteira.so")
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
         "--disable-pip-version-check", "--target", str(site), str(source)],
        capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (site / "carteira" / "libcarteira.so").is_file()

    env = {k: v for k, v in os.environ.items() if k != "CARTEIRA_LIBRARY"}
    env["PYTHONPATH"] = str(site)
    probe = subprocess.run(
        [sys.executable, "-c",
         "import carteira; print(carteira.library_path()); "
         "print(carteira.check_tax_id('12.ABC.345/01DE-35').formatted)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert probe.returncode == 0, probe.stderr
    path, formatted = probe.stdout.split()
    assert path.startswith(str(site)), path
    assert formatted == "12.ABC.345/01DE-35"
