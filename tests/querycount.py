"""How many queries a page costs a signed-in reader, as the query-count pins count them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, user, url) -> tuple[int, str]:
    """The queries of the second request for URL as USER, and the page: the first fills the
    caches a running server keeps (session, permissions), as in production."""
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()
