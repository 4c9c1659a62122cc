"""A TCP server on 127.0.0.1 for the launcher's own tests: echoes one line per connection.

Usage: python3 echo_server.py [--fail]
Prints "ready PORT" once it listens (or, with --fail, "not ready" and exits with status 3), and ends
when its standard input closes.
"""

import asyncio
import sys


async def echo(reader, writer):
    writer.write(await reader.readline())
    await writer.drain()
    writer.close()


async def main():
    if "--fail" in sys.argv:
        print("not ready", flush=True)
        sys.exit(3)
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    print(f"ready {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
