"""Maps the top-level templates/ folder and config.example.toml into the package as resources.

pyproject.toml holds all metadata; this file only adds two resource packages that live outside
monitor/ in the source tree (setuptools cannot express this mapping in pyproject alone while
also discovering packages automatically). Resource folders (web templates, static files,
migrations, reply templates by label) are listed as namespace packages too, so setuptools
ships them as data without warning that they are importable yet unlisted.
"""

from setuptools import find_namespace_packages, setup

EXCLUDE = ["*__pycache__*"]
packages = find_namespace_packages(include=["monitor", "monitor.*"], exclude=EXCLUDE)
templates = [f"monitor.reply_templates.{name}"
             for name in find_namespace_packages(where="templates", exclude=EXCLUDE)]
setup(
    packages=[*packages, "monitor.reply_templates", *templates, "monitor.examples"],
    package_dir={"monitor.reply_templates": "templates", "monitor.examples": "examples/config"},
)
