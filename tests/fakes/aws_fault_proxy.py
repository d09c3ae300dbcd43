#!/usr/bin/env python3
"""aws_fault_proxy.py - a fault-injecting HTTP proxy in front of moto_server.

tuskform talks to it as its AWS endpoint (AWS_ENDPOINT_URL=http://127.0.0.1:PORT);
every request is forwarded unchanged to the upstream emulator (--upstream, default
$TSK_MOTO_URL) and its response returned, except for what is listed here.
This is exactly what it does:

  Transport
    * keeps client connections alive (HTTP/1.1, Content-Length on every
      response), so a client can reuse them; upstream, one connection per
      request (moto closes every connection anyway);
    * --latency-ms N: sleeps N ms before answering each call;
    * counts client connections and requests (GET /__proxy/stats); a
      connection counts once it carries an AWS request, so the control calls
      below (their own short connections) never inflate the figure.

  Faults (rules from --fault JSON arguments or POST /__proxy/faults, a JSON
  list; each rule: {"kind", "match", "times", ...}; "match" is a substring of
  "METHOD PATH?QUERY TARGET" where TARGET is the X-Amz-Target header; a rule
  fires on its first `times` matching calls, default 1):
    throttle      429 TooManyRequestsException with Retry-After: `retry_after`
                  (seconds, default 1)
    5xx           `status` (default 503) ServiceException
    drop          closes the connection without any response
    slow          sleeps `delay_ms` (default 1500) before forwarding
    malformed     200 with a truncated JSON body (the client must fail clearly)
    garbage5xx    502 with an HTML body that is no AWS error document
    pending       forwards, then rewrites a Lambda function configuration in
                  the response to State=Pending / LastUpdateStatus=InProgress
    inprogress409 409 ResourceConflictException "An update is in progress for
                  resource: ..." (Lambda's answer while a function is busy)

  Fakes (what the emulator lacks)
    * Lambda provisioned concurrency: PUT/GET/DELETE
      /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=Q, kept in
      memory. PUT checks the alias or version exists upstream (else 404
      ResourceNotFoundException), answers 202 IN_PROGRESS; the next
      --pc-pending-polls GETs (default 1) say IN_PROGRESS, then READY. GET of
      an unknown config: 404 ProvisionedConcurrencyConfigNotFoundException.
      A rule {"kind": "pc_failed", "match": ...} makes the next PUT end FAILED
      with a StatusReason.
    * (part II, see the section "routing/monitoring fakes" below)
      X-Ray sampling rules: POST /CreateSamplingRule, /GetSamplingRules,
      /UpdateSamplingRule, /DeleteSamplingRule, kept in memory (a duplicate
      or unknown rule: 400 InvalidRequestException);
      Budgets UpdateBudget (X-Amz-Target AWSBudgetServiceGateway.UpdateBudget),
      done upstream as DescribeNotificationsForBudget + DeleteBudget +
      CreateBudget(NewBudget, the same notifications and subscribers);
      Budgets DescribeSubscribersForNotification, answered from the
      subscribers the proxy saw in CreateBudget / CreateNotification (both
      still forwarded) and forgot on DeleteNotification / DeleteBudget
      (forwarded); a notification it never saw has no subscribers;
      API Gateway v2 UpdateStage (PATCH /v2/apis/{api}/stages/{name}): the
      stage must exist upstream; the fields sent (autoDeploy,
      stageVariables, description, defaultRouteSettings) are kept in memory
      and laid over every GetStage / GetStages answer for that stage until
      it or its API is deleted (both still forwarded);
      API Gateway v2 GetAuthorizers (GET /v2/apis/{api}/authorizers): the
      authorizers the proxy saw created (CreateAuthorizer, forwarded; the
      id taken from the answer), each read upstream with GetAuthorizer
      (gone ones left out); DeleteAuthorizer forwarded and forgotten;
      a rule {"kind": "failed_entries", "match": ...} answers the next
      matching EventBridge PutTargets/RemoveTargets with HTTP 200 and one
      failed entry per target (ConcurrentModificationException), which the
      emulator never produces.

  Control (not forwarded): GET /__proxy/stats -> {"connections", "requests",
  "faults": {kind: count}}; POST /__proxy/faults (JSON list, replaces the
  rules); POST /__proxy/reset (rules and counters cleared; the faked
  provisioned concurrency configs stay).

Usage: aws_fault_proxy.py [--port 0] [--upstream URL] [--latency-ms N]
       [--pc-pending-polls N] [--fault JSON]... [--port-file FILE]
The chosen port is printed on stdout ("PORT 12345") and written to --port-file.
"""
import argparse
import http.client
import http.server
import json
import os
import socketserver
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
STATE = {"rules": [], "connections": 0, "requests": 0, "faults": {},
         "pc": {}, "pc_polls": {}, "pc_fail": []}
OPTS = None


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())


def take_rule(desc, kinds):
    """The first live rule of one of kinds matching desc (consumes one use)."""
    with LOCK:
        for r in STATE["rules"]:
            if r.get("kind") not in kinds or r.get("left", 0) <= 0:
                continue
            if r.get("match", "") in desc:
                r["left"] -= 1
                STATE["faults"][r["kind"]] = STATE["faults"].get(r["kind"], 0) + 1
                return r
    return None


def set_rules(rules):
    for r in rules:
        r["left"] = int(r.get("times", 1))
    with LOCK:
        STATE["rules"] = rules


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.counted = False

    def log_message(self, fmt, *args):  # quiet
        if os.environ.get("TSK_PROXY_LOG"):
            sys.stderr.write("proxy: " + (fmt % args) + "\n")

    def reply(self, status, body, headers=None, ctype="application/json"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "proxy-%d" % time.monotonic_ns())
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def aws_error(self, status, code, msg, headers=None):
        h = {"X-Amzn-ErrorType": code}
        h.update(headers or {})
        self.reply(status, json.dumps({"Type": "User", "message": msg}), h)

    def do_GET(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path.startswith("/__proxy/"):
            return self.control(body)
        with LOCK:
            STATE["requests"] += 1
            if not self.counted:
                STATE["connections"] += 1
                self.counted = True
        if OPTS.latency_ms:
            time.sleep(OPTS.latency_ms / 1000.0)
        desc = "%s %s %s" % (self.command, self.path,
                             self.headers.get("X-Amz-Target", ""))
        if self.fault(desc):
            return
        if "/provisioned-concurrency" in self.path:
            return self.fake_pc(body)
        if part2_fake(self, body):
            return
        self.forward(desc, body)

    # ---- faults ----------------------------------------------------------
    def fault(self, desc):
        r = take_rule(desc, ("throttle", "5xx", "drop", "slow", "malformed",
                             "garbage5xx", "inprogress409"))
        if not r:
            return False
        k = r["kind"]
        if k == "slow":
            time.sleep(r.get("delay_ms", 1500) / 1000.0)
            return False
        if k == "throttle":
            self.aws_error(429, "TooManyRequestsException", "Rate exceeded",
                           {"Retry-After": str(r.get("retry_after", 1))})
        elif k == "5xx":
            self.aws_error(int(r.get("status", 503)), "ServiceException",
                           "injected server error")
        elif k == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
        elif k == "malformed":
            self.reply(200, b'{"FunctionName": "trunc')
        elif k == "garbage5xx":
            self.reply(502, b"<html><body>Bad Gateway</body></html>",
                       ctype="text/html")
        elif k == "inprogress409":
            self.aws_error(409, "ResourceConflictException",
                           "The operation cannot be performed at this time. "
                           "An update is in progress for resource: " +
                           self.path)
        return True

    # ---- forwarding --------------------------------------------------------
    def forward(self, desc, body):
        up = urllib.parse.urlsplit(OPTS.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("connection", "keep-alive",
                                     "content-length")}
        try:
            conn.request(self.command, self.path, body=body or None,
                         headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
        except OSError as e:
            return self.aws_error(502, "ServiceException", "upstream: %s" % e)
        finally:
            conn.close()
        if resp.status == 200 and take_rule(desc, ("pending",)):
            data = self.make_pending(data)
        skip = ("connection", "keep-alive", "content-length",
                "transfer-encoding", "server", "date", "content-type")
        extra = {k: v for k, v in resp.getheaders() if k.lower() not in skip}
        self.reply(resp.status, data, extra,
                   ctype=resp.getheader("Content-Type") or "application/json")

    @staticmethod
    def make_pending(data):
        try:
            j = json.loads(data)
        except ValueError:
            return data
        cfg = j.get("Configuration", j)
        if isinstance(cfg, dict) and "FunctionName" in cfg:
            if "State" in cfg and cfg.get("LastUpdateStatus") is None:
                cfg["State"] = "Pending"
            else:
                cfg["State"] = "Active"
                cfg["LastUpdateStatus"] = "InProgress"
        return json.dumps(j).encode()

    # ---- provisioned concurrency (the emulator has none) -----------------
    def fake_pc(self, body):
        u = urllib.parse.urlsplit(self.path)
        parts = u.path.split("/")
        # /2019-09-30/functions/{name}/provisioned-concurrency
        if len(parts) < 5 or parts[2] != "functions":
            return self.aws_error(404, "ResourceNotFoundException", "no route")
        fn = urllib.parse.unquote(parts[3])
        if ":function:" in fn:
            fn = fn.split(":function:")[1].split(":")[0]
        q = urllib.parse.parse_qs(u.query).get("Qualifier", [""])[0]
        if not q or q == "$LATEST":
            return self.aws_error(400, "InvalidParameterValueException",
                                  "Qualifier must be an alias or version")
        key = (fn, q)
        if self.command == "PUT":
            return self.pc_put(key, body)
        with LOCK:
            cfg = STATE["pc"].get(key)
        if cfg is None:
            return self.aws_error(
                404, "ProvisionedConcurrencyConfigNotFoundException",
                "No Provisioned Concurrency Config found for this function")
        if self.command == "DELETE":
            with LOCK:
                STATE["pc"].pop(key, None)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        with LOCK:
            left = STATE["pc_polls"].get(key, 0)
            if cfg["Status"] == "IN_PROGRESS":
                if left > 0:
                    STATE["pc_polls"][key] = left - 1
                elif cfg.get("_fail"):
                    cfg["Status"] = "FAILED"
                    cfg["StatusReason"] = "injected: insufficient capacity"
                else:
                    cfg["Status"] = "READY"
                    n = cfg["RequestedProvisionedConcurrentExecutions"]
                    cfg["AllocatedProvisionedConcurrentExecutions"] = n
                    cfg["AvailableProvisionedConcurrentExecutions"] = n
            out = {k: v for k, v in cfg.items() if not k.startswith("_")}
        return self.reply(200, json.dumps(out))

    def upstream_exists(self, fn, q):
        up = urllib.parse.urlsplit(OPTS.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
        if q.isdigit():
            path = "/2015-03-31/functions/%s/configuration?Qualifier=%s" % (
                urllib.parse.quote(fn, safe=""), q)
        else:
            path = "/2015-03-31/functions/%s/aliases/%s" % (
                urllib.parse.quote(fn, safe=""), urllib.parse.quote(q, safe=""))
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() in ("authorization", "x-amz-date", "host",
                                 "x-amz-security-token")}
        try:
            conn.request("GET", path, headers=hdrs)
            return 200 <= conn.getresponse().status < 300  # moto: 201
        except OSError:
            return False
        finally:
            conn.close()

    def pc_put(self, key, body):
        try:
            n = int(json.loads(body or b"{}")["ProvisionedConcurrentExecutions"])
        except (ValueError, KeyError, TypeError):
            return self.aws_error(400, "InvalidParameterValueException",
                                  "ProvisionedConcurrentExecutions is required")
        if n < 1:
            return self.aws_error(400, "InvalidParameterValueException",
                                  "ProvisionedConcurrentExecutions must be >= 1")
        if not self.upstream_exists(*key):
            return self.aws_error(404, "ResourceNotFoundException",
                                  "Function not found: %s:%s" % key)
        fail = take_rule("%s PUT %s:%s" % ("pc", key[0], key[1]),
                         ("pc_failed",)) is not None
        cfg = {"RequestedProvisionedConcurrentExecutions": n,
               "AllocatedProvisionedConcurrentExecutions": 0,
               "AvailableProvisionedConcurrentExecutions": 0,
               "Status": "IN_PROGRESS", "LastModified": now_iso(),
               "_fail": fail}
        with LOCK:
            STATE["pc"][key] = cfg
            STATE["pc_polls"][key] = OPTS.pc_pending_polls
            out = {k: v for k, v in cfg.items() if not k.startswith("_")}
        return self.reply(202, json.dumps(out))

    # ---- control -----------------------------------------------------------
    def control(self, body):
        if self.path == "/__proxy/stats":
            with LOCK:
                s = {"connections": STATE["connections"],
                     "requests": STATE["requests"],
                     "faults": dict(STATE["faults"]),
                     "provisioned": ["%s:%s" % k for k in STATE["pc"]]}
            return self.reply(200, json.dumps(s))
        if self.path == "/__proxy/faults" and self.command == "POST":
            try:
                rules = json.loads(body or b"[]")
                assert isinstance(rules, list)
            except (ValueError, AssertionError):
                return self.reply(400, '{"error": "expected a JSON list"}')
            set_rules(rules)
            return self.reply(200, '{"ok": true}')
        if self.path == "/__proxy/reset" and self.command == "POST":
            with LOCK:
                STATE.update({"rules": [], "connections": 0, "requests": 0,
                              "faults": {}})
            return self.reply(200, '{"ok": true}')
        return self.reply(404, '{"error": "unknown control path"}')


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    global OPTS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--upstream", default=os.environ.get("TSK_MOTO_URL"))
    ap.add_argument("--latency-ms", type=int, default=0)
    ap.add_argument("--pc-pending-polls", type=int, default=1)
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--port-file")
    OPTS = ap.parse_args()
    if not OPTS.upstream:
        sys.exit("aws_fault_proxy: no upstream (--upstream or TSK_MOTO_URL)")
    set_rules([json.loads(f) for f in OPTS.fault])
    srv = Server(("127.0.0.1", OPTS.port), Handler)
    port = srv.server_address[1]
    if OPTS.port_file:
        with open(OPTS.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(OPTS.port_file + ".tmp", OPTS.port_file)
    print("PORT %d" % port, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


# ---- routing/monitoring fakes (part II: what the emulator lacks) ----------
# X-Ray sampling rules, Budgets UpdateBudget and subscribers, API Gateway v2
# UpdateStage and GetAuthorizers. Everything else of the part II types is
# forwarded: moto serves it.

XRAY = {"rules": {}}


def xray_error(h, msg):
    h.reply(400, json.dumps({"message": msg}),
            {"X-Amzn-ErrorType": "InvalidRequestException"})


def xray_record(rule):
    t = time.time()
    return {"SamplingRule": rule, "CreatedAt": t, "ModifiedAt": t}


def fake_xray(h, body):
    op = h.path.split("?")[0].strip("/")
    try:
        req = json.loads(body or b"{}")
    except ValueError:
        return xray_error(h, "the body is not JSON")
    with LOCK:
        rules = XRAY["rules"]
        if op == "CreateSamplingRule":
            r = dict(req.get("SamplingRule") or {})
            name = r.get("RuleName")
            if not name or name in rules:
                return xray_error(h, "rule %s exists or has no name" % name)
            r["RuleARN"] = "arn:aws:xray:us-east-1:123456789012:sampling-rule/" + name
            rules[name] = r
            return h.reply(200, json.dumps({"SamplingRuleRecord": xray_record(r)}))
        if op == "GetSamplingRules":
            recs = [xray_record(r) for r in rules.values()]
            return h.reply(200, json.dumps({"SamplingRuleRecords": recs}))
        if op == "UpdateSamplingRule":
            u = req.get("SamplingRuleUpdate") or {}
            name = u.get("RuleName")
            if name not in rules:
                return xray_error(h, "no sampling rule %s" % name)
            rules[name].update({k: v for k, v in u.items() if k != "RuleARN"})
            return h.reply(200, json.dumps({"SamplingRuleRecord": xray_record(rules[name])}))
        if op == "DeleteSamplingRule":
            name = req.get("RuleName")
            if name not in rules:
                return xray_error(h, "no sampling rule %s" % name)
            r = rules.pop(name)
            return h.reply(200, json.dumps({"SamplingRuleRecord": xray_record(r)}))
    return xray_error(h, "unknown X-Ray operation " + op)


def upstream_budgets(h, op, payload):
    """One Budgets call upstream, signed as the client signed (moto does not
    check signatures): returns (status, parsed body)."""
    u = urllib.parse.urlparse(OPTS.upstream)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    hdrs = {k: v for k, v in h.headers.items()
            if k.lower() in ("authorization", "x-amz-date", "host")}
    hdrs["X-Amz-Target"] = "AWSBudgetServiceGateway." + op
    hdrs["Content-Type"] = "application/x-amz-json-1.1"
    conn.request("POST", "/", json.dumps(payload).encode(), hdrs)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    try:
        return r.status, json.loads(data or b"{}")
    except ValueError:
        return r.status, {}


BUDGET_SUBS = {}  # (account, budget) -> {notification key: [subscribers]}


def notif_key(n):
    n = n or {}
    return (n.get("NotificationType"), n.get("ComparisonOperator"),
            float(n.get("Threshold") or 0), n.get("ThresholdType") or "PERCENTAGE")


def track_budget_subs(h, body):
    """Notes the subscribers of budget calls that carry or drop them;
    answers DescribeSubscribersForNotification. True when answered."""
    op = h.headers.get("X-Amz-Target", "").split(".")[-1]
    if op not in ("CreateBudget", "CreateNotification", "DeleteNotification",
                  "DeleteBudget", "DescribeSubscribersForNotification"):
        return False
    try:
        req = json.loads(body or b"{}")
    except ValueError:
        return False
    name = req.get("BudgetName") or (req.get("Budget") or {}).get("BudgetName")
    key = (req.get("AccountId"), name)
    with LOCK:
        subs = BUDGET_SUBS.setdefault(key, {})
        if op == "CreateBudget":
            subs.clear()
            for x in req.get("NotificationsWithSubscribers") or []:
                subs[notif_key(x.get("Notification"))] = x.get("Subscribers") or []
        elif op == "CreateNotification":
            subs[notif_key(req.get("Notification"))] = req.get("Subscribers") or []
        elif op == "DeleteNotification":
            subs.pop(notif_key(req.get("Notification")), None)
        elif op == "DeleteBudget":
            BUDGET_SUBS.pop(key, None)
        else:
            out = list(subs.get(notif_key(req.get("Notification")), []))
    if op != "DescribeSubscribersForNotification":
        return False
    h.reply(200, json.dumps({"Subscribers": out}),
            ctype="application/x-amz-json-1.1")
    return True


def fake_update_budget(h, body):
    req = json.loads(body or b"{}")
    acct = req.get("AccountId")
    nb = req.get("NewBudget") or {}
    name = nb.get("BudgetName")
    st, cur = upstream_budgets(h, "DescribeNotificationsForBudget",
                               {"AccountId": acct, "BudgetName": name})
    if st != 200:
        return h.reply(st, json.dumps(cur),
                       {"X-Amzn-ErrorType": cur.get("__type", "NotFoundException")})
    with LOCK:
        known = dict(BUDGET_SUBS.get((acct, name), {}))
    notes = [{"Notification": n, "Subscribers": known.get(notif_key(n), [])}
             for n in cur.get("Notifications", [])]
    upstream_budgets(h, "DeleteBudget", {"AccountId": acct, "BudgetName": name})
    st, out = upstream_budgets(h, "CreateBudget", {
        "AccountId": acct, "Budget": nb, "NotificationsWithSubscribers": notes})
    return h.reply(st, json.dumps(out if st != 200 else {}))


def fake_failed_entries(h, body):
    req = json.loads(body or b"{}")
    ids = [t.get("Id") for t in req.get("Targets", [])] or req.get("Ids", [])
    fe = [{"TargetId": i, "ErrorCode": "ConcurrentModificationException",
           "ErrorMessage": "the rule changed while the targets were put"}
          for i in ids]
    h.reply(200, json.dumps({"FailedEntryCount": len(fe), "FailedEntries": fe}),
            ctype="application/x-amz-json-1.1")


APIGW = {"stages": {}, "authorizers": {}}  # (api, stage) -> fields; api -> ids
STAGE_FIELDS = ("autoDeploy", "stageVariables", "description",
                "defaultRouteSettings")


def upstream_call(h, method, path, body=None):
    """One call upstream with the client's headers: (status, headers, data)."""
    u = urllib.parse.urlsplit(OPTS.upstream)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    hdrs = {k: v for k, v in h.headers.items()
            if k.lower() not in ("connection", "keep-alive", "content-length")}
    try:
        conn.request(method, path, body=body or None, headers=hdrs)
        r = conn.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        conn.close()


def fake_apigw(h, body):
    """UpdateStage, the stage overlay, GetAuthorizers and the authorizer
    bookkeeping; False when the request is none of those."""
    path = urllib.parse.urlsplit(h.path).path
    parts = [urllib.parse.unquote(p) for p in path.split("/")]
    # ['', 'v2', 'apis', API, COLL, CHILD]
    if len(parts) < 4 or parts[1:3] != ["v2", "apis"]:
        return False
    api = parts[3]
    coll = parts[4] if len(parts) > 4 else None
    child = parts[5] if len(parts) > 5 else None
    m = h.command
    if coll is None and m == "DELETE":
        with LOCK:
            for k in [k for k in APIGW["stages"] if k[0] == api]:
                del APIGW["stages"][k]
            APIGW["authorizers"].pop(api, None)
        return False
    if coll == "stages" and child and m == "PATCH":
        st, _, data = upstream_call(h, "GET", h.path)
        if st != 200:
            h.reply(st, data)
            return True
        try:
            req = json.loads(body or b"{}")
            cur = json.loads(data)
        except ValueError:
            h.reply(400, json.dumps({"message": "the body is not JSON"}),
                    {"X-Amzn-ErrorType": "BadRequestException"})
            return True
        with LOCK:
            over = APIGW["stages"].setdefault((api, child), {})
            over.update({k: req[k] for k in STAGE_FIELDS if k in req})
            cur.update(over)
        h.reply(200, json.dumps(cur))
        return True
    if coll == "stages" and m == "DELETE" and child:
        with LOCK:
            APIGW["stages"].pop((api, child), None)
        return False
    if coll == "stages" and m == "GET":
        st, _, data = upstream_call(h, "GET", h.path)
        try:
            doc = json.loads(data)
        except ValueError:
            h.reply(st, data)
            return True
        with LOCK:
            for s in (doc.get("items") or [] if child is None else [doc]):
                s.update(APIGW["stages"].get((api, s.get("stageName")), {}))
        h.reply(st, json.dumps(doc))
        return True
    if coll == "authorizers" and child is None and m == "POST":
        st, _, data = upstream_call(h, "POST", h.path, body)
        try:
            aid = json.loads(data).get("authorizerId")
        except (ValueError, AttributeError):
            aid = None
        if 200 <= st < 300 and aid:
            with LOCK:
                APIGW["authorizers"].setdefault(api, []).append(aid)
        h.reply(st, data)
        return True
    if coll == "authorizers" and child is None and m == "GET":
        with LOCK:
            ids = list(APIGW["authorizers"].get(api, []))
        items = []
        for aid in ids:
            st, _, data = upstream_call(
                h, "GET", "/v2/apis/%s/authorizers/%s" % (
                    urllib.parse.quote(api, safe=""),
                    urllib.parse.quote(aid, safe="")))
            if st == 200:
                items.append(json.loads(data))
        h.reply(200, json.dumps({"items": items}))
        return True
    if coll == "authorizers" and child and m == "DELETE":
        with LOCK:
            if child in APIGW["authorizers"].get(api, []):
                APIGW["authorizers"][api].remove(child)
        return False
    return False


def part2_fake(h, body):
    """Serves what the emulator lacks for the part II types; False when the
    request is not one of those."""
    path = h.path.split("?")[0]
    target = h.headers.get("X-Amz-Target", "")
    if target in ("AWSEvents.PutTargets", "AWSEvents.RemoveTargets") and \
            take_rule("%s %s %s" % (h.command, h.path, target), ("failed_entries",)):
        fake_failed_entries(h, body)
        return True
    if path.startswith("/v2/apis/") and fake_apigw(h, body):
        return True
    if h.command == "POST" and path in ("/CreateSamplingRule", "/GetSamplingRules",
                                        "/UpdateSamplingRule", "/DeleteSamplingRule"):
        fake_xray(h, body)
        return True
    if h.headers.get("X-Amz-Target", "") == "AWSBudgetServiceGateway.UpdateBudget":
        fake_update_budget(h, body)
        return True
    if target.startswith("AWSBudgetServiceGateway.") and track_budget_subs(h, body):
        return True
    return False


if __name__ == "__main__":
    main()
