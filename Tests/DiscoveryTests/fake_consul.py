#!/usr/bin/env python3
"""A small HTTP server that follows the Consul agent and health endpoints this project uses, for tests on
machines where no Consul binary can be installed. Behaviour follows Consul's API documentation:

- PUT /v1/agent/service/register   JSON body (ID defaults to Name; Check.TTL, Check.DeregisterCriticalServiceAfter);
                                   a TTL check starts "critical" until it is first passed.
- PUT /v1/agent/check/pass/<id>    marks a TTL check passing for another TTL (404 for an unknown check).
- PUT /v1/agent/service/deregister/<id>
- GET /v1/health/service/<name>[?passing=true]  entries of {Node, Service, Checks}; passing=true keeps only
                                   instances whose checks are all passing.
- GET /v1/status/leader
- With --token T every request needs the header X-Consul-Token: T (403 "Permission denied" otherwise).

Prints "listening <port>" once ready.
"""
import argparse, json, os, re, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs, unquote

services = {}   # id -> service dict
checks = {}     # check id -> {status, ttl, expires, service_id, critical_since, deregister_after}
lock = threading.Lock()
TOKEN = None
VERBOSE = bool(__import__('os').environ.get('FAKE_CONSUL_VERBOSE'))

def parse_duration(text):
    if not text:
        return None
    total = 0.0
    for value, unit in re.findall(r"([0-9.]+)(ms|s|m|h)", text):
        total += float(value) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total

def refresh():
    now = time.time()
    for cid, c in list(checks.items()):
        if c["ttl"] is not None and c["status"] == "passing" and now > c["expires"]:
            c["status"] = "critical"
            c["critical_since"] = now
        if c["status"] == "critical" and c["deregister_after"] is not None and now - c["critical_since"] > c["deregister_after"]:
            services.pop(c["service_id"], None)
            checks.pop(cid, None)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # Consul answers HTTP/1.1 with keep-alive
    def log_message(self, fmt, *args):
        if VERBOSE:
            sys.stderr.write(fmt % args + "\n")

    def reply(self, status, body=b"", content_type="text/plain"):
        if isinstance(body, (dict, list)):
            body, content_type = json.dumps(body).encode(), "application/json"
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        if TOKEN is not None and self.headers.get("X-Consul-Token") != TOKEN:
            self.reply(403, "Permission denied")
            return False
        return True

    def do_PUT(self):
        if not self.authorized():
            return
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with lock:
            refresh()
            if url.path == "/v1/agent/service/register":
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    return self.reply(400, "Request decode failed")
                name = body.get("Name")
                if not name:
                    return self.reply(400, "Missing service name")
                sid = body.get("ID") or name
                services[sid] = {"ID": sid, "Service": name, "Address": body.get("Address", ""),
                                 "Port": body.get("Port", 0), "Tags": body.get("Tags") or [], "Meta": body.get("Meta") or {}}
                check = body.get("Check")
                if check:
                    cid = check.get("CheckID") or "service:" + sid
                    checks[cid] = {"status": check.get("Status", "critical"), "ttl": parse_duration(check.get("TTL")),
                                   "expires": 0, "service_id": sid, "critical_since": time.time(),
                                   "deregister_after": parse_duration(check.get("DeregisterCriticalServiceAfter"))}
                return self.reply(200)
            m = re.fullmatch(r"/v1/agent/check/(pass|warn|fail)/(.+)", url.path)
            if m:
                cid = unquote(m.group(2))
                c = checks.get(cid)
                if c is None:
                    return self.reply(404, f'Unknown check ID "{cid}"')
                c["status"] = {"pass": "passing", "warn": "warning", "fail": "critical"}[m.group(1)]
                if c["ttl"] is not None:
                    c["expires"] = time.time() + c["ttl"]
                if c["status"] == "critical":
                    c["critical_since"] = time.time()
                return self.reply(200)
            m = re.fullmatch(r"/v1/agent/service/deregister/(.+)", url.path)
            if m:
                sid = unquote(m.group(1))
                if sid not in services:
                    return self.reply(404, f'Unknown service ID "{sid}"')
                services.pop(sid)
                for cid in [k for k, c in checks.items() if c["service_id"] == sid]:
                    checks.pop(cid)
                return self.reply(200)
        self.reply(404, "not found")

    def do_GET(self):
        if not self.authorized():
            return
        url = urlparse(self.path)
        query = parse_qs(url.query)
        with lock:
            refresh()
            if url.path == "/v1/status/leader":
                return self.reply(200, '"127.0.0.1:8300"', "application/json")
            m = re.fullmatch(r"/v1/health/service/(.+)", url.path)
            if m:
                name = unquote(m.group(1))
                entries = []
                for s in services.values():
                    if s["Service"] != name:
                        continue
                    own = [{"CheckID": cid, "Status": c["status"], "ServiceID": s["ID"]}
                           for cid, c in checks.items() if c["service_id"] == s["ID"]]
                    if "passing" in query and any(c["Status"] != "passing" for c in own):
                        continue
                    entries.append({"Node": {"Node": "fake", "Address": "127.0.0.1"}, "Service": s, "Checks": own})
                return self.reply(200, entries)
        self.reply(404, "not found")

def main():
    global TOKEN
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--token")
    args = p.parse_args()
    TOKEN = args.token
    # Exit by ourselves when the test process that started us is gone, so no server outlives a test run.
    parent = os.getppid()
    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)
    threading.Thread(target=watch_parent, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()

if __name__ == "__main__":
    main()
