"""The newsroom's house style for dates and times, per language.

Django reads ``DATE_FORMAT`` and ``TIME_FORMAT`` from here first
(``FORMAT_MODULE_PATH``) and falls back to its own locale formats for
everything else; soundoff.lib.dateline builds the date and time lines from
these two. A language added to Soundoff without a module here gets Django's
formats for it.
"""
