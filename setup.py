"""Maps the top-level templates/ folder and config.example.toml into the package as resources.

pyproject.toml holds all metadata; this file only adds two resource packages that live outside
monitor/ in the source tree (setuptools cannot express this mapping in pyproject alone while
also discovering packages automatically).
"""

from setuptools import find_packages, setup

packages = find_packages(include=["monitor", "monitor.*"])
setup(
    packages=[*packages, "monitor.reply_templates", "monitor.examples"],
    package_dir={"monitor.reply_templates": "templates", "monitor.examples": "examples/config"},
)
