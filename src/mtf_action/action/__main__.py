"""``python -m mtf_action.action``: the container's ENTRYPOINT."""

import sys

from mtf_action._startup import skip_unused_format_modules

skip_unused_format_modules()  # the CLI's start-up shortcut (see mtf_action._startup)

from mtf_action.action.main import main

sys.exit(main())
