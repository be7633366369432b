"""``python -m campaign_core``: the command line (see ``campaign_core.cli``)."""

import sys

from campaign_core.cli import main

sys.exit(main())
