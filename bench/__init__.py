"""The benchmark harness (`make bench`, bench/run.py) and the load test (`make loadtest`)."""
