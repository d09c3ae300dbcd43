#!/usr/bin/env python3
"""Signs requests with botocore's SigV4Auth / S3SigV4Auth for test_sigv4.

usage: botocore_sign.py CASES.json
CASES.json is a list of objects: method, url (path and query already
encoded), headers ([[name, value], ...]), body (text), access_key,
secret_key, token (or null), region, service, s3 (bool), timestamp
(epoch seconds). Prints a JSON list of {"authorization", "canonical_request"}.
"""
import datetime
import json
import sys

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as e:  # the C test reports this output verbatim
    print(f"botocore_sign.py: botocore is not importable: {e}", file=sys.stderr)
    sys.exit(3)


def sign(case):
    when = datetime.datetime.fromtimestamp(case["timestamp"],
                                           datetime.timezone.utc)
    botocore.auth.get_current_datetime = lambda *a, **k: when.replace(tzinfo=None)
    creds = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    cls = botocore.auth.S3SigV4Auth if case["s3"] else botocore.auth.SigV4Auth
    auth = cls(creds, case["service"], case["region"])
    req = AWSRequest(method=case["method"], url=case["url"],
                     data=case["body"].encode("utf-8"))
    for name, value in case["headers"]:
        req.headers[name] = value
    seen = {}
    orig = auth.canonical_request

    def capture(request):
        seen["creq"] = orig(request)
        return seen["creq"]

    auth.canonical_request = capture
    auth.add_auth(req)
    return {"authorization": req.headers["Authorization"],
            "canonical_request": seen["creq"]}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    json.dump([sign(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
