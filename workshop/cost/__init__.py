"""The cost model: prices, measured usage, the monthly projection."""
