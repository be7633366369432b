# Shortcuts for the commands README gives (.ci/run runs the test command).
# Another interpreter: make check PYTHON=python3.12
PYTHON ?= python3

.PHONY: setup run check demo

setup:
	$(PYTHON) scripts/dev.py setup

run:
	$(PYTHON) scripts/dev.py start

check:
	$(PYTHON) scripts/dev.py test

demo: setup
	.venv/bin/python -m campaign_core demo --db data/campaign.db
