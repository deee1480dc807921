"""What imports remember between runs."""

from __future__ import annotations

from django.db import models

from soundoff.discussion.models import Comment, Thread
from soundoff.newsroom.models import Post


class ImportedKind(models.TextChoices):
    POST = "post", "post"
    THREAD = "thread", "thread"


class ImportedObject(models.Model):
    """A post or a discussion that came from an export, keyed by its id there.

    Comments carry their own key (Comment.source and source_id); posts and
    threads have no such columns, so their keys live here. Importing the
    same file again finds each of them and adds nothing. ``original_url`` is
    the page's address on the old site, so that a Disqus export of a
    WordPress blog finds the posts the WordPress import made from it.
    Real foreign keys, cascading: when an editor deletes the post, its key
    goes too, and a later import would bring it back rather than point at
    nothing.
    """

    source = models.CharField(max_length=16)
    kind = models.CharField(max_length=8, choices=ImportedKind.choices)
    source_id = models.CharField(max_length=255)
    original_url = models.CharField(max_length=1000, blank=True, db_index=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="importers_object_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id}"


class PendingReply(models.Model):
    """A reply written by an import before its parent could be looked up.

    Exports list replies before their parents, and Disqus lists comments
    apart from their threads, so replies are first written top-level and
    placed once the whole file is read (see services.ImportRun.finish).
    Rows live only inside the import's transaction.
    """

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, primary_key=True)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    parent_source_id = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.parent_source_id}"
