"""A/B tests: statistics (stdlib only) and the evaluation of the shop's experiments."""
