"""`workshop tune`: a power-tuning sweep of one Lambda function over memory sizes (duration and cost)."""
