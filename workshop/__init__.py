"""The workshop harness: bring architectures up and down, run scenarios, measure, chart and report."""
