# Shortcuts for the commands README gives (.ci/run runs the same steps).
PYTHON ?= python

.PHONY: setup run check demo

setup:
	$(PYTHON) -m pip install -r requirements.txt

run: setup
	$(PYTHON) -m streamlit run app.py

check: setup
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest

demo:
	$(PYTHON) -m campaign_core demo --db data/campaign.db
