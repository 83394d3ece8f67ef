"""Outcomes beyond pass/fail for the report fixtures: reruns (pytest-rerunfailures),
xfail, strict xpass and a setup error. Run with: python3 -m pytest flaky --reruns 2"""

import pytest

ATTEMPTS = {"reconnect": 0}


def test_reconnects_after_drop():
    """Fails on the first attempt, passes on the rerun: flaky."""
    ATTEMPTS["reconnect"] += 1
    assert ATTEMPTS["reconnect"] > 1, "connection reset by peer"


def test_always_times_out():
    """Fails on every attempt: failed after 2 reruns."""
    raise TimeoutError("collector did not answer within 5s")


@pytest.mark.xfail(reason="known bug #12: batch size ignored")
def test_batch_size_respected():
    assert 512 == 1024


@pytest.mark.xfail(reason="fixed upstream", strict=True)
def test_fixed_upstream():
    assert True


@pytest.fixture
def collector():
    raise ConnectionRefusedError("collector not reachable on 127.0.0.1:4317")


def test_needs_collector(collector):
    pass


@pytest.mark.xfail(reason="may be fixed already")
def test_maybe_fixed():
    """Non-strict xfail that passes: XPASS (a pass in JUnit, "xpassed" in pytest-json-report)."""
    assert True
