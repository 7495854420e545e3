# Set by `ausbildung <command> --help` in its own process before the settings load: the settings then ignore the
# environment (ausbildung.settings.HELP_ONLY), so that a command's help needs no configuration.
HELP_ONLY = False
