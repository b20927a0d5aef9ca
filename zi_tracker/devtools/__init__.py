"""Development tooling: the benchmark, the load test, the national-scale data generator,
the demo plan, evidence and accounts. Production code never imports this package (a test
in tests/test_architecture.py fails when it does); its commands are for developers and
for ``make run``'s demo."""
