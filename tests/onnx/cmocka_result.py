"""Runs a unittest suite and reports it in cmocka's words, so that
ci/run-tests.sh counts Python tests as it counts the C ones:

    [ RUN      ] name / [       OK ] name / [  FAILED  ] name
    [  PASSED  ] N test(s).   [  FAILED  ] N test(s), listed below:
"""
import sys
import traceback
import unittest


def name(test):
    return test.id().split(".", 1)[-1]


class CmockaResult(unittest.TestResult):
    """Counts a test once however many of its subtests fail."""

    def __init__(self):
        super().__init__()
        self.failed_names = []

    def startTest(self, test):
        super().startTest(test)
        print("[ RUN      ] %s" % name(test), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        print("[       OK ] %s" % name(test))

    def _failed(self, test, err):
        print("".join(traceback.format_exception(*err)).rstrip())
        print("[  FAILED  ] %s" % name(test))
        parent = name(getattr(test, "test_case", test))
        if parent not in self.failed_names:
            self.failed_names.append(parent)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._failed(subtest, err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._failed(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._failed(test, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print("[  SKIPPED ] %s: %s" % (name(test), reason))


def run(module_name):
    suite = unittest.defaultTestLoader.loadTestsFromName(module_name)
    print("[==========] Running %d test(s)." % suite.countTestCases())
    result = CmockaResult()
    suite.run(result)
    bad = result.failed_names
    passed = result.testsRun - len(bad) - len(result.skipped)
    print("[==========] %d test(s) run." % result.testsRun)
    print("[  PASSED  ] %d test(s)." % passed)
    if result.skipped:
        print("[  SKIPPED ] %d test(s)." % len(result.skipped))
    if bad:
        print("[  FAILED  ] %d test(s), listed below:" % len(bad))
        for t in bad:
            print("[  FAILED  ] %s" % t)
    sys.exit(1 if bad or result.testsRun == 0 else 0)
