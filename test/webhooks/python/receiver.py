"""A webhook handler as livekit-api's docs write one: WebhookReceiver(TokenVerifier(key, secret)).

Listens on a loopback port, prints that address, then one JSON line per request: the decoded
event, or why verification refused it (answered 401).

    python receiver.py --api-key devkey --api-secret secret
"""

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from livekit import api

parser = argparse.ArgumentParser()
parser.add_argument("--api-key", default="devkey")
parser.add_argument("--api-secret", default="secret")
args = parser.parse_args()

receiver = api.WebhookReceiver(api.TokenVerifier(args.api_key, args.api_secret))
lock = threading.Lock()


def report(line):
    with lock:
        print(json.dumps(line), flush=True)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        try:
            event = receiver.receive(body, self.headers.get("Authorization", ""))
        except Exception as err:  # the SDK raises plain Exceptions and jwt errors alike
            report({"verified": False, "error": f"{type(err).__name__}: {err}"})
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        report({"verified": True, "event": MessageToDict(event)})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
host, port = server.server_address
print(f"listening http://{host}:{port}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
