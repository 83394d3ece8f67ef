"""pytest-benchmark examples: each benchmark becomes latency figures (min, max, mean, median,
stddev, iqr in seconds) and a throughput figure (ops per second) of its group or name.
Run: python3 -m pytest benchmarks --benchmark-json=report-benchmark.json"""

import json

import pytest

PAYLOAD = {"span": "checkout", "attributes": {f"k{i}": i for i in range(50)}}


@pytest.mark.benchmark(group="serialize")
def test_serialize_span(benchmark):
    out = benchmark(json.dumps, PAYLOAD)
    assert out.startswith("{")


@pytest.mark.benchmark(group="serialize")
@pytest.mark.parametrize("size", [10, 1000])
def test_serialize_batch(benchmark, size):
    batch = [PAYLOAD] * size
    benchmark(json.dumps, batch)


def test_sort_spans(benchmark):
    data = list(range(2000, 0, -1))
    result = benchmark(sorted, data)
    assert result[0] == 1
