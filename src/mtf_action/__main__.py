"""``python -m mtf_action`` runs the CLI."""

from mtf_action._cli import main

raise SystemExit(main())
