#!/usr/bin/env python3
"""A scripted SMTP server on 127.0.0.1 for the edges a real server will not show on demand.

Usage: scripted_server.py SCRIPT.json TRANSCRIPT.jsonl

SCRIPT holds {"connections": [[step, ...], ...]}: the steps of the first connection, the second,
and so on. A step is {"expect": PREFIX, "reply": [LINE, ...], "then": "close" | "hang" | null}.
The first step of a connection has "expect": null (the greeting, sent on connect). A step whose
"expect" is "<DATA>" matches the message after a 354 reply (read up to the line ".", still
dot-stuffed). "close" closes the connection after the reply; "hang" sends nothing more and waits
for the client to go. A command that does not match gets "500 5.5.1 unexpected" and is recorded.

Every line received goes to TRANSCRIPT, one JSON object per line: {"connection": N, "line": ...}
or {"connection": N, "data": ...} or {"connection": N, "unexpected": ...}. Prints "ready PORT" once
it listens; exits when its standard input closes.
"""
import asyncio
import json
import sys

script = json.load(open(sys.argv[1]))
transcript = open(sys.argv[2], "a", buffering=1)
connections = 0


def record(**entry):
    transcript.write(json.dumps(entry) + "\n")


async def session(reader, writer):
    global connections
    number = connections
    connections += 1
    steps = list(script["connections"][number]) if number < len(script["connections"]) else []

    async def perform(step):
        lines = step.get("reply") or []
        if lines:
            writer.write("".join(line + "\r\n" for line in lines).encode())
            await writer.drain()
        then = step.get("then")
        if then == "close":
            writer.close()
            return False
        if then == "hang":
            await reader.read()
            writer.close()
            return False
        return True

    try:
        if steps and steps[0].get("expect") is None:
            if not await perform(steps.pop(0)):
                return
        in_data = False
        while True:
            if in_data:
                lines = []
                while not lines or lines[-1] != b".\r\n":
                    line = await reader.readline()
                    if not line:
                        raise asyncio.IncompleteReadError(b"".join(lines), None)
                    lines.append(line)
                record(connection=number, data=b"".join(lines).decode("latin-1"))
                received = "<DATA>"
                in_data = False
            else:
                raw = await reader.readline()
                if not raw:
                    break
                received = raw.decode("utf-8", "replace").rstrip("\r\n")
                record(connection=number, line=received)
            if steps and received.upper().startswith(steps[0]["expect"].upper()):
                step = steps.pop(0)
                in_data = received.upper() == "DATA" and any(l.startswith("354") for l in step.get("reply", []))
                if not await perform(step):
                    return
            elif received.upper() == "QUIT":
                writer.write(b"221 2.0.0 Bye\r\n")
                await writer.drain()
                writer.close()
                return
            else:
                record(connection=number, unexpected=received)
                writer.write(b"500 5.5.1 unexpected\r\n")
                await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(session, host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
