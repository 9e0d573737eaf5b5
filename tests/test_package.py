"""The wheel carries templates/ and speeches/ and renders from an installed copy, not the checkout."""

import subprocess
import sys
import zipfile

import pytest

from .cli import docgen_cli
from .conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:  # no hatchling in the venv: let pip fetch the build backend
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
            capture_output=True, text=True, timeout=600,
        )
    assert result.returncode == 0, result.stderr
    return next(dist.glob("docgen-*.whl"))


def test_wheel_ships_templates_and_speeches(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "docgen/templates/speech/frame.md.j2" in names
    assert "docgen/speeches/cxzy-mobilization.md.j2" in names
    assert "docgen/cli.py" in names


def test_installed_wheel_renders_without_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = (
        "import docgen, docgen.resources as r;"
        "print(docgen.__file__); print(r.builtin_dir('templates')); print(r.builtin_dir('speeches'))"
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=work, env=env)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert line.startswith(str(site)), line
    result = docgen_cli("render", str(EXAMPLE), "--speech", "cxzy-mobilization", "--format", "docx", "-o",
                        str(work / "out"), cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    assert (work / "out" / "在全乡创先争优活动动员大会上的讲话.docx").is_file()


def test_wheel_ships_the_serve_page_and_finds_it_installed(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("docgen/web/app.py", "docgen/web/worker.py", "docgen/web/templates/index.html",
                 "docgen/web/templates/_documents.html", "docgen/web/static/app.js", "docgen/web/static/app.css"):
        assert name in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from docgen.web import app;"
        "print(app.HERE);"
        "page = app.Jinja2Templates(directory=str(app.HERE / 'templates')).get_template('index.html');"
        "print((app.HERE / 'static' / 'app.js').is_file(), page.filename)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    here, found = result.stdout.splitlines()
    assert here.startswith(str(site)) and found.startswith("True " + str(site))


def test_wheel_ships_the_catalogs_and_speaks_chinese_installed(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    for domain in ("docgen", "click"):
        assert f"docgen/locale/zh_CN/LC_MESSAGES/{domain}.mo" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    result = docgen_cli("validate", str(tmp_path / "nothere.yaml"), cwd=tmp_path,
                        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"})
    assert result.returncode == 1
    assert result.stderr.startswith("错误：") and "没有这个文件或文件夹" in result.stderr, result.stderr
