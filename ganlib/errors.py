"""The one exception type ganlib raises for problems the user can fix."""


class GanlibError(Exception):
    """Bad input, missing data, a diverged run: the message says what to do.

    The command line prints the message on one line and exits with status 2.
    """
