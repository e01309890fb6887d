"""Client side of Rekindle's ctx proxy (one JSON line per request over the unix socket in
CTX_SOCKET_URL). Used by `cloudify.ctx`; see docs/plugins.md."""
import json
import os
import socket

CTX_SOCKET_URL = 'CTX_SOCKET_URL'


class ProxyError(RuntimeError):
    """The proxy answered with an error (unknown attribute, illegal path, ...)."""

    def __init__(self, error_type, message):
        super(ProxyError, self).__init__('{0}: {1}'.format(error_type, message))
        self.error_type = error_type
        self.error_message = message


class StopOperation(SystemExit):
    """Raised after abort_operation / retry_operation: ends the script (exit status 1)."""

    def __init__(self, message):
        super(StopOperation, self).__init__(1)
        self.message = message


def request(*args, timeout=30):
    url = os.environ.get(CTX_SOCKET_URL)
    if not url:
        raise RuntimeError('Missing CTX_SOCKET_URL environment variable '
                           '(cloudify.ctx works inside Rekindle script operations only)')
    if not url.startswith('unix://'):
        raise RuntimeError('Unsupported ctx socket url: {0}'.format(url))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(url[len('unix://'):])
        body = json.dumps({'args': list(args), 'cwd': os.getcwd()}) + '\n'
        sock.sendall(body.encode('utf-8'))
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        sock.close()
    response = json.loads(b''.join(chunks).decode('utf-8'))
    payload = response.get('payload')
    kind = response.get('type')
    if kind == 'result':
        return payload
    if kind == 'stop_operation':
        raise StopOperation((payload or {}).get('message', 'operation stopped'))
    raise ProxyError(payload.get('type', 'Error'), payload.get('message', ''))
