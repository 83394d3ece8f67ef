"""A small reliability suite: a toy tracer measured for latency, throughput, memory and
span delivery, the way a real SDK's reliability tests measure themselves."""

import os
import time
import tracemalloc

import pytest


class Tracer:
    """Collects spans in memory and 'exports' them in batches."""

    def __init__(self):
        self.spans = []
        self.exported = []

    def observe(self, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spans.append((fn.__name__, time.perf_counter_ns() - start))

        return wrapper

    def flush(self):
        self.exported.extend(self.spans)
        self.spans.clear()


def work(n=200):
    return sum(i * i for i in range(n))


class TestLatency:
    def test_observe_adds_minimal_overhead(self, record_latency):
        tracer = Tracer()
        traced = tracer.observe(work)
        samples = []
        for _ in range(300):
            start = time.perf_counter()
            traced()
            samples.append((time.perf_counter() - start) * 1000)
        record_latency("observe_decorator", samples)
        assert sorted(samples)[len(samples) // 2] < 50

    def test_flush_latency(self, record_latency):
        tracer = Tracer()
        traced = tracer.observe(work)
        samples = []
        for _ in range(50):
            for _ in range(20):
                traced(10)
            start = time.perf_counter()
            tracer.flush()
            samples.append((time.perf_counter() - start) * 1000)
        record_latency("flush", samples)
        assert len(tracer.exported) == 1000


class TestThroughput:
    def test_span_throughput(self, record_throughput, record_property):
        tracer = Tracer()
        traced = tracer.observe(work)
        count = 0
        deadline = time.perf_counter() + 0.3
        start = time.perf_counter()
        while time.perf_counter() < deadline:
            traced(10)
            count += 1
        elapsed = time.perf_counter() - start
        record_throughput("observe_decorator", count / elapsed)
        record_property("spans_generated", len(tracer.spans))
        tracer.flush()
        record_property("spans_delivered", len(tracer.exported))
        assert len(tracer.exported) == count


class TestMemory:
    def test_no_leak_across_flushes(self, record_memory):
        tracemalloc.start()
        tracer = Tracer()
        traced = tracer.observe(work)
        mib = 1024 * 1024  # the figures convention: MB means MiB
        baseline = tracemalloc.get_traced_memory()[0] / mib
        for _ in range(5000):
            traced(5)
        tracer.flush()
        tracer.exported.clear()
        final, peak = (v / mib for v in tracemalloc.get_traced_memory())
        tracemalloc.stop()
        record_memory(baseline, final, peak)
        assert final - baseline < 5


@pytest.mark.parametrize(
    "payload",
    ['say "hello"', "naïve café ✓", "path/with/slashes"],
    ids=['quotes-"hi"', "unicode-café-✓", "slashes"],
)
def test_payload_round_trip(payload, record_property):
    record_property("metric.payload_bytes", len(payload.encode()))
    assert payload.encode().decode() == payload


def test_checkout_flow_e2e():
    """Fails when EXAMPLE_FAIL is set, so a demo or test can show a red run."""
    time.sleep(0.05)
    assert os.environ.get("EXAMPLE_FAIL") is None, "checkout returned HTTP 503 (EXAMPLE_FAIL set)"


@pytest.mark.skip(reason="needs a staging collector")
def test_export_to_staging():
    pass
