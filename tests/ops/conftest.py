import pytest


@pytest.fixture
def live(transactional_db, django_user_model):
    """The test world committed, for servers in other processes (gunicorn) to see."""
    from tests.conftest import World

    return World(django_user_model)
