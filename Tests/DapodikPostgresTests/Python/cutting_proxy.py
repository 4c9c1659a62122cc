"""A TCP proxy to a PostgreSQL server that loses the reply to the first commit (or the first LISTEN).

It relays both ways. On the first connection whose client calls `commit_batch_and_notify` (the store's
commit, which commits inside the server before it answers), it stops relaying the server's answers and
closes the client's side after a moment, while the server still runs the call and commits: the client
is left with a commit of unknown outcome.

With the mode `listen`, the first connection whose client sends `LISTEN` instead becomes a black hole:
the server still gets the client's messages (and listens), but no answer reaches the client and the
connection stays open, as with a connection that dies without the client's noticing.

Usage: python3 cutting_proxy.py UPSTREAM_PORT MARKER_FILE [commit|listen]
(prints "ready PORT" once it listens, creates MARKER_FILE when it cuts, and serves until its standard
input closes)
"""

import asyncio
import sys

UPSTREAM = int(sys.argv[1])
MARKER = sys.argv[2]
TRIGGER = b"LISTEN" if len(sys.argv) > 3 and sys.argv[3] == "listen" else b"commit_batch_and_notify"
state = {"cut": False}


async def relay(reader, writer, on_data=None, muted=None):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if on_data is not None:
                on_data(data)
            if muted is not None and muted["on"]:
                continue
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection("127.0.0.1", UPSTREAM)
    muted = {"on": False}

    def watch(data):
        if not state["cut"] and TRIGGER in data:
            state["cut"] = True
            muted["on"] = True
            open(MARKER, "w").close()
            if TRIGGER != b"LISTEN":
                asyncio.get_running_loop().call_later(0.5, client_writer.close)

    await asyncio.gather(
        relay(client_reader, server_writer, on_data=watch),
        relay(server_reader, client_writer, muted=muted),
    )


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(f"ready {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
