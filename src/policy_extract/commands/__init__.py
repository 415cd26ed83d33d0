"""Sub-commands of the ``policy-extract`` CLI, one module each (see ``cli.COMMANDS``)."""
