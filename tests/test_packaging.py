"""The wheel carries everything the checkout reads: templates, translations, fonts and
migrations (setup.cfg).  A file left out only shows once the wheel is installed elsewhere,
as a missing screen or an untranslated panel; .ci/wheel-smoke installs one, this catches
the cause early."""
import configparser
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SETUP = configparser.ConfigParser()
SETUP.optionxform = str  # as setuptools reads it: data_files targets keep their case
SETUP.read(ROOT / "setup.cfg", encoding="utf-8")


def lines(section, key):
    return [line.strip() for line in SETUP[section][key].splitlines() if line.strip()]


def shipped_data_files():
    """Each file the data-file globs match → the folder it is installed into."""
    shipped = {}
    for target, patterns in SETUP["options.data_files"].items():
        for pattern in patterns.split(","):
            for path in ROOT.glob(pattern.strip()):
                if path.is_file():
                    shipped[path.relative_to(ROOT)] = target
    return shipped


@pytest.mark.parametrize("folder", ["templates", "translations"])
def test_every_asset_is_installed_where_assets_py_looks(folder):
    shipped = shipped_data_files()
    files = [p.relative_to(ROOT) for p in (ROOT / folder).rglob("*") if p.is_file()]
    assert files
    for path in files:
        # canbo/assets.py finds them under <prefix>/share/canbo/<same path>.
        assert shipped.get(path) == f"share/canbo/{path.parent.as_posix()}", path


def test_fonts_and_migrations_are_package_data():
    package = ROOT / "canbo"
    patterns = lines("options.package_data", "canbo")
    wanted = [*(package / "documents" / "fonts").iterdir(), *(package / "migrations").glob("*.py")]
    assert len(wanted) > 5
    for path in wanted:
        assert any(path in package.glob(p) for p in patterns), path


def test_postgresql_is_an_extra_that_the_tests_pull_too():
    assert not any("psycopg" in r for r in lines("options", "install_requires"))
    assert any(r.startswith("psycopg2-binary") for r in lines("options.extras_require",
                                                              "postgres"))
    test_extra = lines("options.extras_require", "test")
    assert any(r.startswith("psycopg2-binary") for r in test_extra)


@pytest.mark.parametrize("name, floor", [("werkzeug", "3.0.6"), ("waitress", "3.0.1"),
                                         ("jinja2", "3.1.6")])
def test_dependencies_stay_above_their_known_vulnerable_releases(name, floor):
    raw = (ROOT / "setup.cfg").read_text("utf-8").splitlines()  # with its comments
    [index] = [i for i, line in enumerate(raw) if line.strip().lower().startswith(name + ">=")]
    assert raw[index].strip().lower() == f"{name}>={floor}"
    assert raw[index - 1].strip().startswith("# ") and "CVE-" in raw[index - 1]  # why
