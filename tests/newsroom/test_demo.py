from django.core.management import call_command

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, Thread
from soundoff.newsroom.models import Post
from testkit.cast import make_post


def test_demo_loads_once_with_counts_and_is_removable(policies, alice):
    call_command("load_demo", "--if-empty")
    posts = Post.objects.filter(is_demo=True).count()
    assert posts >= 5
    for thread in Thread.objects.filter(post__is_demo=True):
        assert thread.comment_count == thread.comments.count()
    assert Comment.objects.filter(depth=2).exists()
    call_command("load_demo", "--if-empty")
    assert Post.objects.filter(is_demo=True).count() == posts
    real = make_post(headline="A real story")
    call_command("remove_demo")
    assert list(Post.objects.all()) == [real]
    assert not User.objects.filter(is_demo=True).exists()
    assert User.objects.filter(pk=alice.pk).exists()


def test_demo_is_skipped_when_the_site_has_posts(policies):
    make_post()
    call_command("load_demo", "--if-empty")
    assert not Post.objects.filter(is_demo=True).exists()
