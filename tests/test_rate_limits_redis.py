"""With RATELIMIT_STORAGE_URI set, login attempts are counted in Redis, so that every worker
process counts together."""

import uuid

import pytest
import redis

from alliance import create_app
from alliance.extensions import limiter

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield client
    client.close()


def test_login_attempts_are_counted_in_redis(app, redis_client, tmp_path):
    prefix = f"alliantie-test-{uuid.uuid4().hex[:8]}"
    settings = {
        "TESTING": True,
        "SECRET_KEY": "x",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "DATABASE_URL": f"sqlite:///{tmp_path}/r.sqlite",
    }
    worker_one, worker_two = create_app(settings), create_app(settings)
    try:
        for attempt in range(3):
            worker_one.test_client().post(
                "/inloggen", data={"email": "x@example.org", "password": f"fout {attempt}"}
            )
        for attempt in range(2):
            worker_two.test_client().post(
                "/inloggen", data={"email": "x@example.org", "password": f"fout {attempt}"}
            )
        # Five attempts over two "workers": the sixth is refused by either.
        blocked = worker_one.test_client().post(
            "/inloggen", data={"email": "x@example.org", "password": "nog eens"}
        )
        assert blocked.status_code == 429
        assert list(redis_client.scan_iter(f"*{prefix}*"))
    finally:
        for key in redis_client.scan_iter(f"*{prefix}*"):
            redis_client.delete(key)
        limiter.init_app(app)  # the shared limiter goes back to the test app's memory storage
