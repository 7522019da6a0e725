"""Puts bindings/python on sys.path so the tests need no installed package.

The library comes from $CARTEIRA_LIBRARY; when it is unset, the release
build of this checkout is used if it exists, so a plain `pytest` works too.
"""

import os
import pathlib
import sys

import pytest

PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parents[1]

sys.path.insert(0, str(PYTHON_DIR))

_BUILT = REPO / "build" / "release" / "capi" / "libcarteira.so"
if not os.environ.get("CARTEIRA_LIBRARY") and _BUILT.is_file():
    os.environ["CARTEIRA_LIBRARY"] = str(_BUILT)


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO


@pytest.fixture(scope="session")
def sample_dir() -> pathlib.Path:
    return REPO / "examples" / "sample"


@pytest.fixture(scope="session")
def cdnow_dir() -> pathlib.Path:
    # The C++ tests' copy; the Python tests never read ../shared.
    return REPO / "tests" / "data" / "cdnow"


@pytest.fixture
def portfolio():
    import carteira

    with carteira.Portfolio() as p:
        yield p
