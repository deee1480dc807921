from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.tasks import send_email

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_database_cache_and_worker_are_fine(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "worker": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_a_task_that_just_arrived_does_not_fail_it(client):
    send_email.enqueue(subject="Hi", body="Hello", to=["reader@example.org"])
    assert client.get(reverse("healthz")).status_code == 200


def test_a_task_waiting_past_the_limit_fails_the_worker_check(client, settings):
    settings.SOUNDOFF_WORKER_MAX_WAIT = 60
    send_email.enqueue(subject="Hi", body="Hello", to=["reader@example.org"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=90))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == "ok"
    assert "SOUNDOFF_WORKER_MAX_WAIT" in body["checks"]["worker"]
    assert "db_worker" in body["checks"]["worker"]


def test_a_task_scheduled_for_later_is_not_late(client, settings):
    settings.SOUNDOFF_WORKER_MAX_WAIT = 60
    send_email.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(
        subject="Hi", body="Hello", to=["reader@example.org"]
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(days=1))
    assert client.get(reverse("healthz")).status_code == 200


def test_an_unreachable_cache_fails_it_without_saying_where_it_is(client, settings, caplog):
    # A real Redis client pointed at a port where nothing listens.
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
    settings.CACHES = {"default": unreachable, "shared": unreachable}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    failure = response.json()["checks"]["cache"]
    assert failure.startswith("unreachable (")
    assert "127.0.0.1" not in failure
    assert "Health check 'cache' failed" in caplog.text


def test_it_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/").status_code == 301
