"""Contribution margin per creator and campaign, estimated vs settled, and the waterfall."""
