"""A small SMTP server on 127.0.0.1 for the notices' e-mail (RFC 5321, only what Django's SMTP
backend sends): it refuses the recipients it is told to, as a real relay refuses an unknown
mailbox, and keeps the recipients of every message it accepts."""

import socketserver
import threading
from contextlib import contextmanager


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server = self.server
        recipients: list[str] = []
        self.reply("220 127.0.0.1 ESMTP prueba")
        for raw in self.rfile:
            command = raw.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in server.refused:
                    self.reply("550 5.1.1 Buzón inexistente")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 Termine con <CR><LF>.<CR><LF>")
                for line in self.rfile:
                    if line in (b".\r\n", b".\n"):
                        break
                server.received.append(list(recipients))
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Adiós")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_server(refused=()):
    """(port, received): the server's port, and the recipients of each accepted message."""
    server = _Server(("127.0.0.1", 0), _Session)
    server.refused, server.received = set(refused), []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.received
    finally:
        server.shutdown()
        server.server_close()
