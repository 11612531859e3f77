"""``python -m mtf_action.action``: the container's ENTRYPOINT."""

import sys

# Same start-up shortcut as the CLI (see mtf_action._cli): skip rfc3987-syntax.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from mtf_action.action.main import main

sys.exit(main())
