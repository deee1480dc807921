"""The brokers on their own: fan-out, dropping slow readers, replay, the
journal local workers share, Redis."""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket

import pytest

from soundoff.live import journal, relay
from soundoff.live.broker import CLOSE, HEARTBEAT, LocalBroker, RedisBroker
from soundoff.live.events import Delivery, LiveEvent
from testkit.streams import run_async


def event(thread: int, version: int, comment_id: int = 1) -> LiveEvent:
    return LiveEvent(
        thread=thread,
        version=version,
        count=version,
        count_text={"en": f"soundoff ({version} Responses)"},
        comment={
            "id": comment_id,
            "change": "created",
            "parent": None,
            "html": {"en": "<li></li>"},
        },
    )


async def drain(subscriber, n: int) -> list:
    # The timeout only keeps a missing item from hanging the test: generous,
    # as a loaded machine is slow, not wrong.
    return [await asyncio.wait_for(subscriber.next(), timeout=30) for _ in range(n)]


@pytest.fixture
def own_data_dir(settings, tmp_path):
    # The journal and the relay's sockets live in the data directory: keep
    # them apart from any development server running on this checkout.
    settings.DATA_DIR = tmp_path


def test_local_fan_out_reaches_the_threads_subscribers_only(own_data_dir):
    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            readers = [broker.subscribe(1), broker.subscribe(1)]
            elsewhere = broker.subscribe(2)
            broker.publish(event(1, version=5))
            got = [await drain(reader, 1) for reader in readers]
            assert not elsewhere.items
            return got
        finally:
            await broker.stop()

    got = run_async(scenario())
    assert [[d.seq for d in deliveries] for deliveries in got] == [[1], [1]]
    assert got[0][0].event["version"] == 5


def test_publishing_from_another_thread_keeps_the_numbering_order(own_data_dir):
    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            reader = broker.subscribe(1)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(
                None, lambda: [broker.publish(event(1, v)) for v in range(1, 21)]
            )
            return await drain(reader, 20)
        finally:
            await broker.stop()

    deliveries = run_async(scenario())
    assert [d.seq for d in deliveries] == list(range(1, 21))


def test_slow_subscriber_is_dropped_and_its_queue_stays_bounded(own_data_dir, settings):
    settings.SOUNDOFF_LIVE_QUEUE = 4

    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            slow = broker.subscribe(1)
            quick = broker.subscribe(1)
            for version in range(1, 11):
                broker.publish(event(1, version))
                await drain(quick, 1)
            return slow, quick
        finally:
            await broker.stop()

    slow, quick = run_async(scenario())
    assert slow.dropped and slow.closed
    assert list(slow.items) == [CLOSE]
    assert not quick.dropped


def test_heartbeats_reach_every_stream(own_data_dir, settings):
    settings.SOUNDOFF_LIVE_HEARTBEAT = 0.05

    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            return await drain(broker.subscribe(3), 2)
        finally:
            await broker.stop()

    assert run_async(scenario()) == [HEARTBEAT, HEARTBEAT]


def test_replay_after_last_event_id_and_after_page_version(own_data_dir):
    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            for version in (2, 3, 4):
                broker.publish(event(1, version))
            await asyncio.sleep(0)
            after_first = await broker.replay(1, last_event_id=broker.event_id(1), version=None)
            after_page = await broker.replay(1, last_event_id=None, version=3)
            up_to_date = await broker.replay(1, last_event_id=broker.event_id(3), version=None)
            return after_first, after_page, up_to_date
        finally:
            await broker.stop()

    after_first, after_page, up_to_date = run_async(scenario())
    assert [d.seq for d in after_first.deliveries] == [2, 3] and after_first.complete
    assert [d.event["version"] for d in after_page.deliveries] == [4]
    assert up_to_date.deliveries == [] and up_to_date.complete


@pytest.mark.parametrize(
    "last_event_id",
    ["other-epoch.1", "{epoch}.99", "{epoch}.x", "garbage", "{epoch}." + "9" * 40],
)
def test_stale_or_forged_last_event_id_is_incomplete(own_data_dir, last_event_id):
    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            broker.publish(event(1, 2))
            await asyncio.sleep(0)
            return await broker.replay(
                1, last_event_id=last_event_id.format(epoch=broker.epoch), version=None
            )
        finally:
            await broker.stop()

    replay = run_async(scenario())
    assert not replay.complete and replay.deliveries == []


def test_history_past_its_length_makes_replay_incomplete(own_data_dir, settings):
    settings.SOUNDOFF_LIVE_HISTORY = 3

    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            for version in range(1, 8):
                broker.publish(event(1, version))
            await asyncio.sleep(0)
            return await broker.replay(1, last_event_id=broker.event_id(2), version=None)
        finally:
            await broker.stop()

    replay = run_async(scenario())
    assert not replay.complete
    assert [d.seq for d in replay.deliveries] == [5, 6, 7]


def test_process_without_streams_relays_to_the_one_serving_them(own_data_dir):
    async def scenario():
        serving = LocalBroker()
        await serving.start()
        try:
            reader = serving.subscribe(7)
            worker = LocalBroker()  # never started: like the task worker
            await asyncio.get_running_loop().run_in_executor(
                None, worker.publish, event(7, 9, comment_id=42)
            )
            return await drain(reader, 1)
        finally:
            await serving.stop()

    [delivery] = run_async(scenario())
    assert isinstance(delivery, Delivery)
    assert delivery.event["comment"]["id"] == 42


def test_every_worker_gets_every_event_under_the_same_numbers(own_data_dir):
    async def scenario():
        workers = [LocalBroker(), LocalBroker()]
        for worker in workers:
            await worker.start()
        try:
            readers = [worker.subscribe(5) for worker in workers]
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, workers[0].publish, event(5, 2, comment_id=1))
            await loop.run_in_executor(None, workers[1].publish, event(5, 3, comment_id=2))
            got = [await drain(reader, 2) for reader in readers]
            return [worker.epoch for worker in workers], got
        finally:
            for worker in workers:
                await worker.stop()

    epochs, got = run_async(scenario())
    assert epochs[0] == epochs[1]
    for deliveries in got:
        assert [(d.seq, d.event["comment"]["id"]) for d in deliveries] == [(1, 1), (2, 2)]


def test_numbering_survives_a_restart_so_readers_catch_up(own_data_dir):
    async def before():
        broker = LocalBroker()
        await broker.start()
        try:
            broker.publish(event(1, 2))
            return broker.epoch, broker.event_id(1)
        finally:
            await broker.stop()

    async def after(last_event_id):
        broker = LocalBroker()  # the server restarted
        await broker.start()
        try:
            broker.publish(event(1, 3))
            return broker.epoch, await broker.replay(1, last_event_id=last_event_id, version=None)
        finally:
            await broker.stop()

    epoch, last_event_id = run_async(before())
    epoch_after, replay = run_async(after(last_event_id))
    assert epoch_after == epoch
    assert replay.complete and [d.seq for d in replay.deliveries] == [2]


def test_publishing_with_no_worker_serving_streams_keeps_the_event_quietly(own_data_dir, caplog):
    # No process serves streams from this data directory: nobody to wake.
    assert relay.wake_all() == 0
    LocalBroker().publish(event(1, 1))
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []

    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            return await broker.replay(1, last_event_id=None, version=0)
        finally:
            await broker.stop()

    assert [d.event["version"] for d in run_async(scenario()).deliveries] == [1]


def test_streams_replaying_a_thread_share_its_history_until_it_moves(own_data_dir):
    async def scenario():
        broker = LocalBroker()
        await broker.start()
        try:
            broker.publish(event(1, 2))
            broker.publish(event(1, 3))
            first = await broker.replay(1, last_event_id=None, version=0)
            second = await broker.replay(1, last_event_id=None, version=0)
            broker.publish(event(1, 4))
            third = await broker.replay(1, last_event_id=None, version=0)
            return first, second, third
        finally:
            await broker.stop()

    first, second, third = run_async(scenario())
    # Decoded once (and so encoded for the wire once) for every stream.
    assert all(a is b for a, b in zip(first.deliveries, second.deliveries, strict=True))
    assert [d.event["version"] for d in third.deliveries] == [2, 3, 4]


def test_a_killed_workers_socket_is_removed_by_the_next_sender(own_data_dir):
    folder = journal.sockets_directory()
    folder.mkdir(parents=True)
    dead = folder / "4242-dead.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(dead))  # bound, then closed without unlinking: SIGKILL
    assert dead.exists()
    assert relay.wake_all() == 0
    assert not dead.exists()


def test_the_journal_keeps_no_address_in_clear(own_data_dir):
    broker = LocalBroker()
    assert broker.journal.take_slot("198.51.100.7") is not None
    assert b"198.51.100.7" not in broker.journal.path.read_bytes()
    wal = broker.journal.path.with_name(broker.journal.path.name + "-wal")
    assert b"198.51.100.7" not in (wal.read_bytes() if wal.exists() else b"")


# --- Redis ------------------------------------------------------------------


@pytest.fixture
def redis_settings(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.SOUNDOFF_LIVE_PREFIX = f"live-test-{secrets.token_hex(4)}"
    return settings


def test_redis_broker_round_trip_between_two_instances(redis_settings):
    url = redis_settings.REDIS_URL

    async def scenario():
        here, there = RedisBroker(url), RedisBroker(url)
        await here.start()
        await there.start()
        try:
            reader = there.subscribe(11)
            # Published from a page thread of the other instance.
            await asyncio.get_running_loop().run_in_executor(None, here.publish, event(11, 3))
            [delivery] = await drain(reader, 1)
            replay = await there.replay(11, last_event_id=f"{there.epoch}.0", version=None)
            return here.epoch, there.epoch, delivery, replay
        finally:
            await here.stop()
            await there.stop()

    epoch_here, epoch_there, delivery, replay = run_async(scenario())
    assert epoch_here == epoch_there
    assert delivery.seq == 1 and delivery.event["version"] == 3
    assert [d.seq for d in replay.deliveries] == [1] and replay.complete


@pytest.fixture(params=["workers of one machine", "instances sharing Redis"])
def two_brokers(request, settings, tmp_path):
    """Two brokers that must count together: local workers (the journal),
    or instances on Redis."""
    settings.DATA_DIR = tmp_path
    if request.param == "workers of one machine":
        return LocalBroker(), LocalBroker()
    url = request.getfixturevalue("redis_settings").REDIS_URL
    return RedisBroker(url), RedisBroker(url)


def test_stream_slots_are_counted_together(two_brokers, settings):
    settings.SOUNDOFF_LIVE_STREAMS_PER_IP = 2
    here, there = two_brokers

    async def scenario():
        await here.start()
        await there.start()
        try:
            first = await here.slots.acquire("198.51.100.7")
            second = await there.slots.acquire("198.51.100.7")
            third = await here.slots.acquire("198.51.100.7")
            other_address = await there.slots.acquire("198.51.100.8")
            assert first is not None
            await here.slots.release("198.51.100.7", first)
            fourth = await there.slots.acquire("198.51.100.7")
            return second, third, other_address, fourth
        finally:
            await here.stop()
            await there.stop()

    second, third, other_address, fourth = run_async(scenario())
    assert second is not None and third is None
    assert other_address is not None and fourth is not None


def test_redis_absent_is_a_clear_start_up_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    async def scenario():
        await RedisBroker("redis://127.0.0.1:1/0").start()

    with pytest.raises(ImproperlyConfigured, match="REDIS_URL is set but Redis does not answer"):
        run_async(scenario())
