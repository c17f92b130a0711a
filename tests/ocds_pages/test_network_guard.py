import socket

import pytest


def test_connecting_to_a_public_address_raises():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(OSError) as error:
        sock.connect(("1.1.1.1", 443))
    assert "bloqueada" in str(error.value)


def test_loopback_stays_reachable():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            conn, _ = server.accept()
            conn.close()
