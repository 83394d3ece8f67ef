"""Helpers that record reliability figures through pytest's own ``record_property``.

Copy these fixtures into your conftest.py: the figures land in the JUnit XML
(``--junitxml``) and in pytest-json-report's ``user_properties``, and
reliability-metrics-action turns them into Prometheus gauges. Names follow
docs/recording-figures.md: ``latency_ms.<operation>.<stat>``,
``throughput_ops_per_sec.<operation>``, ``memory_mb.<measurement>``,
``memory_growth_mb``, ``spans_generated``, ``spans_delivered`` and
``metric.<name>``.
"""

import statistics

import pytest


def _percentile(sorted_values, fraction):
    """Nearest-rank percentile of already sorted values."""
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


@pytest.fixture
def record_latency(record_property):
    """record_latency(operation, samples_ms) records p50/p95/p99/mean/max of a list of
    latencies in milliseconds; record_latency(operation, value_ms, stat) records one figure."""

    def _record(operation, samples_ms, stat=None):
        if stat is not None:
            record_property(f"latency_ms.{operation}.{stat}", float(samples_ms))
            return
        values = sorted(float(v) for v in samples_ms)
        if not values:
            return
        record_property(f"latency_ms.{operation}.p50", _percentile(values, 0.50))
        record_property(f"latency_ms.{operation}.p95", _percentile(values, 0.95))
        record_property(f"latency_ms.{operation}.p99", _percentile(values, 0.99))
        record_property(f"latency_ms.{operation}.mean", statistics.fmean(values))
        record_property(f"latency_ms.{operation}.max", values[-1])

    return _record


@pytest.fixture
def record_throughput(record_property):
    """record_throughput(operation, ops_per_sec) records one throughput figure."""

    def _record(operation, ops_per_sec):
        record_property(f"throughput_ops_per_sec.{operation}", float(ops_per_sec))

    return _record


@pytest.fixture
def record_memory(record_property):
    """record_memory(baseline_mb, final_mb, peak_mb=None) records the memory of a test and
    its growth (final - baseline), all in megabytes."""

    def _record(baseline_mb, final_mb, peak_mb=None):
        record_property("memory_mb.baseline", float(baseline_mb))
        record_property("memory_mb.final", float(final_mb))
        if peak_mb is not None:
            record_property("memory_mb.peak", float(peak_mb))
        record_property("memory_growth_mb", float(final_mb) - float(baseline_mb))

    return _record
