"""What the tests and the benchmarks build their worlds with; not part of Soundoff.

- ``testkit.cast``: readers, moderators, posts, comments, the task worker run once;
- ``testkit.servers``: real granian servers on databases of their own;
- ``testkit.streams``: an SSE client for their streams;
- ``testkit.pages``: what view tests read off a response of the test client;
- ``testkit.samples``: Disqus and WordPress export documents built in code;
- ``testkit.browser``: what the browser tests watch a page for, signing in,
  and the pages of another site that embeds the widget;
- ``testkit.at_once``: work run in threads released at the same instant, and
  where threads are stopped;
- ``testkit.echo_gateway``: the live gateway in front of an echoing WSGI app.

It lives beside the ``soundoff`` package, not in it, so that an installed
site carries none of it (pyproject's package list includes ``soundoff*`` only).
pytest finds it through ``pythonpath = ["."]``; the benchmarks run from the
repository root (``python -m bench.…``), which puts it on ``sys.path``.
"""
