"""Human-readable views of predictions and runs: HTML report, terminal text, plots."""
