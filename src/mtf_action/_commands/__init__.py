"""One module per subcommand: ``register(subparsers, common)`` and ``run(args, reporter)``."""
