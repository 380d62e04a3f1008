#!/usr/bin/env python3
"""A stand-in mail relay for `make prod-like` and the fault drills: accepts SMTP on loopback and
appends one line per message (time, recipients, subject) to a log. Not for production.

    python3 deploy/smtp_sink.py PORT LOGFILE
"""

import asyncio
import sys
import time


async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, log) -> None:
    def reply(line: str) -> None:
        writer.write(f"{line}\r\n".encode())

    reply("220 ysi-smtp-sink ready")
    recipients: list[str] = []
    while line := await reader.readline():
        command = line.decode(errors="replace").strip()
        verb = command[:4].upper()
        if verb in ("EHLO", "HELO"):
            reply("250 ysi-smtp-sink")
        elif verb == "MAIL":
            recipients = []
            reply("250 OK")
        elif verb == "RCPT":
            recipients.append(command.split(":", 1)[1].strip(" <>"))
            reply("250 OK")
        elif verb == "DATA":
            reply("354 End data with <CR><LF>.<CR><LF>")
            subject = ""
            while (body_line := await reader.readline()) not in (b".\r\n", b".\n", b""):
                text = body_line.decode(errors="replace")
                if not subject and text.lower().startswith("subject:"):
                    subject = text.split(":", 1)[1].strip()
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')}\t{','.join(recipients)}\t{subject}\n")
            log.flush()
            reply("250 OK: queued")
        elif verb == "QUIT":
            reply("221 Bye")
            await writer.drain()
            break
        else:
            reply("250 OK")
        await writer.drain()
    writer.close()


async def main(port: int, path: str) -> None:
    with open(path, "a") as log:
        server = await asyncio.start_server(lambda r, w: session(r, w, log), "127.0.0.1", port)
        async with server:
            await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
