# SPDX-License-Identifier: MIT
"""A pytest plugin that collects rule test files (``*.test.yaml``, see
docs/rules.md) as one test item per case::

    pytest -p quotacase.pytest_plugin examples/rules/

or ``pytest_plugins = ["quotacase.pytest_plugin"]`` in a conftest.py.  Each
file is run once, by the library's rule test runner; each of its cases is an
item named by the case, passing or failing with the runner's diagnostics.
An invalid rule or test file fails as one item, with the located errors.
"""
import re
from typing import Any, Iterator, List, Optional

import pytest

import quotacase as qc


def pytest_collect_file(parent: Any, file_path: Any) -> Optional["RuleTestFile"]:
    if file_path.name.endswith(".test.yaml"):
        item: RuleTestFile = RuleTestFile.from_parent(parent, path=file_path)
        return item
    return None


class RuleTestFailure(Exception):
    """A rule test case whose expectations were not met."""


class RuleTestFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            report = qc.run_rule_tests(str(self.path))
        except qc.Error as e:  # the file itself is invalid: one failing item says so
            yield RuleTestCase.from_parent(self, name=self.path.name, passed=False,
                                           diagnostics=[str(e)] + list(e.details))
            return
        lines = report.tap.split("\n")
        for at, line in enumerate(lines):
            m = re.match(r"^(not ok|ok) \d+ - (.*)$", line)
            if not m:
                continue
            diagnostics: List[str] = []
            for follow in lines[at + 1:]:  # the runner's "#   ..." lines under a failure
                if not follow.startswith("#   "):
                    break
                diagnostics.append(follow[4:])
            yield RuleTestCase.from_parent(self, name=m.group(2), passed=m.group(1) == "ok", diagnostics=diagnostics)


class RuleTestCase(pytest.Item):
    def __init__(self, *, passed: bool, diagnostics: List[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.passed = passed
        self.diagnostics = diagnostics

    def runtest(self) -> None:
        if not self.passed:
            raise RuleTestFailure("\n".join(self.diagnostics) or "failed")

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, RuleTestFailure):
            return "%s: %s\n%s" % (self.path.name, self.name, excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> Any:
        return self.path, None, "rule test: %s" % self.name
