"""`manage.py check --deploy` passes for a production environment, and has teeth.

Run in a subprocess: settings are read from the environment once, at start-up,
so only a fresh interpreter sees the production values.
"""

import os
import secrets
import subprocess
from pathlib import Path

from testkit.servers import run_python


def production_environment(data_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SOUNDOFF_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        SOUNDOFF_SECRET_KEY=secrets.token_urlsafe(50),
        SOUNDOFF_DEBUG="false",
        SOUNDOFF_HTTPS="true",
        SOUNDOFF_ALLOWED_HOSTS="news.example.org",
        SOUNDOFF_DATA_DIR=str(data_dir),
        # Production sends mail: without a host the console backend is used,
        # which the check rightly reports as an error (mail.E001).
        SOUNDOFF_SMTP_HOST="smtp.example.org",
    )
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")


def test_the_deploy_check_passes_in_production(tmp_path):
    result = deploy_check(production_environment(tmp_path))
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"


def test_the_deploy_check_fails_without_https(tmp_path):
    env = production_environment(tmp_path)
    del env["SOUNDOFF_HTTPS"]
    result = deploy_check(env)
    assert result.returncode != 0, f"check --deploy passed without HTTPS:\n{result.stdout}"
    output = result.stdout + result.stderr
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in output, f"{warning} missing from:\n{output}"
