# A module_utils file of the role: packed with the modules that import it, as AnsiballZ does.


def signed(text, user):
    return "%s (%s)" % (text, user)
