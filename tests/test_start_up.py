"""Start-up with a bad environment: every variable settings.py reads is
checked, and a fresh process (manage.py, the task worker, the server) stops
with a message naming it before anyone is served."""

import ast
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soundoff import checks
from testkit.servers import free_port

REPO = Path(__file__).resolve().parents[1]


# Variables read as free text: any value is a valid one.
FREE_TEXT = {"SOUNDOFF_TIME_ZONE_LABEL", "SOUNDOFF_OIDC_LABEL"}
# Variables read as text whose checks are not in soundoff.checks.SETTINGS,
# each with the test that proves it.
CHECKED_APART = {
    "SOUNDOFF_SECRET_KEY": "test_no_secret_key_is_refused_saying_how_to_set_one",
    "DATABASE_URL": "test_a_database_url_that_is_not_postgresql_is_refused",
    "SOUNDOFF_SMTP_USER": "test_smtp_options_that_cannot_work_are_refused",
    "SOUNDOFF_SMTP_PASSWORD": "test_smtp_options_that_cannot_work_are_refused",
    "SOUNDOFF_OIDC_ISSUER": "tests/oidc/test_oidc_checks.py",
    "SOUNDOFF_OIDC_CLIENT_ID": "tests/oidc/test_oidc_checks.py",
    "SOUNDOFF_OIDC_CLIENT_SECRET": "tests/oidc/test_oidc_checks.py",
    "SOUNDOFF_DATA_DIR": "test_a_data_directory_that_cannot_be_made_stops_start_up",
}
# The helpers that refuse a value of the wrong type as they read it, naming it.
TYPED = {"env_bool", "env_int", "env_float", "env_choice"}


def variables_read_by_settings() -> dict[str, str]:
    """Each environment variable settings.py reads, and the helper reading it."""
    tree = ast.parse((REPO / "soundoff" / "settings.py").read_text())
    return {
        node.args[0].value: node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_variable_settings_reads_is_checked():
    read = variables_read_by_settings()
    assert len(read) > 80
    ruled = {setting.variable for setting in checks.SETTINGS}
    unchecked = {
        variable
        for variable, helper in read.items()
        if helper not in TYPED and variable not in ruled | FREE_TEXT | CHECKED_APART.keys()
    }
    assert unchecked == set()


def test_each_check_apart_is_a_test_that_exists():
    tests = (REPO / "tests" / "test_checks.py").read_text() + Path(__file__).read_text()
    for proof in CHECKED_APART.values():
        assert (REPO / proof).is_file() or f"def {proof}(" in tests, proof


def test_nothing_else_in_the_package_reads_the_environment():
    # Besides the helpers settings.py reads with, only the entry points
    # (naming the settings module) touch os.environ; a read elsewhere would
    # escape the test above.
    readers = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "soundoff").rglob("*.py")
        if path.relative_to(REPO).as_posix() != "soundoff/lib/environment.py"
        and re.search(
            r"os\.(environ|getenv)(?!\.setdefault\(\"DJANGO_SETTINGS_MODULE\")", path.read_text()
        )
    }
    assert readers == set()


def environment(data_dir: Path, **bad: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SOUNDOFF_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(SOUNDOFF_DATA_DIR=str(data_dir), SOUNDOFF_SECRET_KEY=secrets.token_urlsafe(40))
    env.update(bad)
    return env


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )


# Mistakes the checks find together, once the settings have loaded.
SEVERAL_MISTAKES = {
    "SOUNDOFF_COMMENT_RATE": "5 a minute",
    "SOUNDOFF_SMTP_HOST": "mx",
    "SOUNDOFF_SMTP_USER": "newsroom",
    "SOUNDOFF_ALLOWED_HOSTS": "https://news.example.org",
    "SOUNDOFF_OIDC_ISSUER": "https://id.example.org",
    "SOUNDOFF_OIDC_CLIENT_ID": "soundoff",
    "REDIS_URL": "cache.example.org:6379",
}


def test_manage_py_check_fails_naming_each_bad_variable(tmp_path):
    env = environment(tmp_path, **SEVERAL_MISTAKES)
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0, result.stdout
    for message in (
        "(soundoff.E001) SOUNDOFF_COMMENT_RATE must be written as hits/seconds",
        "(soundoff.E005) Set both SOUNDOFF_SMTP_USER and SOUNDOFF_SMTP_PASSWORD",
        "(soundoff.E001) SOUNDOFF_ALLOWED_HOSTS must list one or more host names",
        "(oidc.E001) Sign-in with the newsroom's accounts needs SOUNDOFF_OIDC_CLIENT_SECRET",
        "(soundoff.E001) REDIS_URL must be a Redis URL",
    ):
        assert message in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SOUNDOFF_DEBUG", "maybe", "SOUNDOFF_DEBUG must be true or false, not 'maybe'."),
        ("SOUNDOFF_HTTPS", "https", "SOUNDOFF_HTTPS must be true or false, not 'https'."),
        ("SOUNDOFF_BEHIND_PROXY", "nginx", "SOUNDOFF_BEHIND_PROXY must be true or false"),
        ("SOUNDOFF_HSTS_PRELOAD", "2", "SOUNDOFF_HSTS_PRELOAD must be true or false"),
        ("SOUNDOFF_DB_POOL", "8", "SOUNDOFF_DB_POOL must be true or false, not '8'."),
        ("SOUNDOFF_EDIT_WINDOW", "soon", "SOUNDOFF_EDIT_WINDOW must be a whole number"),
        ("SOUNDOFF_SPAM_THRESHOLD", "high", "SOUNDOFF_SPAM_THRESHOLD must be a number"),
        (
            "SOUNDOFF_LOG_LEVEL",
            "LOUD",
            "SOUNDOFF_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'.",
        ),
        ("DATABASE_URL", "mysql://news:hunter2@db/news", "DATABASE_URL must be a PostgreSQL"),
    ],
)
def test_a_value_of_the_wrong_type_stops_start_up_naming_it(tmp_path, variable, value, message):
    # These are refused as settings.py reads them: Django uses some (the log
    # level, the database) before any check could run.
    result = run(
        [sys.executable, "manage.py", "check"], environment(tmp_path, **{variable: value})
    )
    assert result.returncode != 0, result.stdout
    assert f"ImproperlyConfigured: {message}" in result.stderr
    assert "hunter2" not in result.stderr


def test_a_data_directory_that_cannot_be_made_stops_start_up(tmp_path):
    in_the_way = tmp_path / "a file"
    in_the_way.write_text("not a directory")
    for data_dir in (in_the_way, in_the_way / "var"):
        result = run([sys.executable, "manage.py", "check"], environment(data_dir))
        assert result.returncode != 0, result.stdout
        assert (
            "ImproperlyConfigured: SOUNDOFF_DATA_DIR must be a directory Soundoff can create "
            f"or write in (it keeps the SQLite database, the secret key and static files "
            f"there), and {str(data_dir)!r} is not."
        ) in result.stderr


def test_a_log_level_is_read_in_any_case(tmp_path):
    script = "from django.conf import settings; print(settings.LOGGING['root']['level'])"
    shown = run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        {
            **environment(tmp_path, SOUNDOFF_LOG_LEVEL="warning"),
            "DJANGO_SETTINGS_MODULE": "soundoff.settings",
        },
    )
    assert shown.stdout.strip() == "WARNING", shown.stderr


@pytest.mark.parametrize("command", [["migrate", "--noinput"], ["db_worker"]])
def test_the_commands_bin_run_starts_with_stop_on_a_bad_setting(tmp_path, command):
    env = environment(tmp_path, SOUNDOFF_ALLOWED_HOSTS="news.example.org:8000")
    result = run([sys.executable, "manage.py", *command], env)
    assert result.returncode != 0, result.stdout
    assert "SOUNDOFF_ALLOWED_HOSTS must list one or more host names" in result.stderr
    assert "Applying" not in result.stdout


def test_the_settings_load_without_a_secret_key(tmp_path):
    # What mypy's Django plugin does on a fresh checkout: load the settings,
    # with no SOUNDOFF_SECRET_KEY and no secret_key file yet.
    env = environment(tmp_path)
    del env["SOUNDOFF_SECRET_KEY"]
    script = "from django.conf import settings; print(len(settings.INSTALLED_APPS))"
    result = run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        {**env, "DJANGO_SETTINGS_MODULE": "soundoff.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10
    assert not (tmp_path / "secret_key").exists()


def test_manage_py_check_without_a_secret_key_says_how_to_make_one(tmp_path):
    env = environment(tmp_path)
    del env["SOUNDOFF_SECRET_KEY"]
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0, result.stdout
    assert "(soundoff.E002) There is no secret key." in result.stderr
    assert f"run bin/run once so that it writes {tmp_path / 'secret_key'}" in result.stderr


@pytest.mark.parametrize(
    ("application", "variable", "value", "message"),
    [
        # Found by the checks, once the application has loaded...
        (
            "rsgi soundoff.asgi",
            "SOUNDOFF_TOXICITY_THRESHOLD",
            "80",
            "SOUNDOFF_TOXICITY_THRESHOLD must be a number from 0 to 1",
        ),
        (
            "rsgi soundoff.asgi",
            "SOUNDOFF_ALLOWED_HOSTS",
            "https://news.example.org",
            "SOUNDOFF_ALLOWED_HOSTS must list one or more host names",
        ),
        (
            "wsgi soundoff.wsgi",
            "SOUNDOFF_ALLOWED_HOSTS",
            "news.example.org/",
            "SOUNDOFF_ALLOWED_HOSTS must list one or more host names",
        ),
        # ...and as the settings are read.
        (
            "rsgi soundoff.asgi",
            "SOUNDOFF_LOG_LEVEL",
            "LOUD",
            "SOUNDOFF_LOG_LEVEL must be one of DEBUG, INFO",
        ),
    ],
)
def test_the_server_refuses_to_start_with_a_bad_setting(
    tmp_path, application, variable, value, message
):
    interface, module = application.split()
    granian = shutil.which("granian", path=str(Path(sys.executable).parent))
    assert granian, "granian is installed beside this Python"
    env = environment(tmp_path, **{variable: value})
    port = str(free_port())
    command = [granian, "--interface", interface, "--host", "127.0.0.1", "--port", port]
    result = run([*command, "--no-ws", f"{module}:application"], env)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
