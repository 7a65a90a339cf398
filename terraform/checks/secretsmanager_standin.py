#!/usr/bin/env python3
"""A loopback stand-in for the Secrets Manager calls of the host's fetch script (GetSecretValue) and of
the secret module's generate-values.sh (GetSecretValue, PutSecretValue).

The AWS JSON protocol is one POST with an X-Amz-Target header and a JSON body. This answers for one
secret id only, with the SecretString kept in a file (an empty file: the secret has no value yet, as
a new one), and refuses anything else the way AWS does (ResourceNotFoundException,
UnknownOperationException). Each request is appended to a log (never the value) so the test can check
what the CLI asked.

usage: secretsmanager_standin.py PORT SECRET_ARN SECRET_STRING_FILE REQUEST_LOG
"""
import json
import sys
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT, SECRET_ARN, SECRET_FILE, REQUEST_LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        target = self.headers.get("X-Amz-Target", "")
        signed = self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 ")
        with open(REQUEST_LOG, "a") as log:
            log.write(json.dumps({"target": target, "secret_id": body.get("SecretId"), "signed": signed}) + "\n")
        if target not in ("secretsmanager.GetSecretValue", "secretsmanager.PutSecretValue"):
            return self.answer(400, {"__type": "UnknownOperationException", "message": target})
        if not signed:
            return self.answer(400, {"__type": "MissingAuthenticationTokenException", "message": "unsigned"})
        if body.get("SecretId") != SECRET_ARN:
            return self.answer(400, {"__type": "ResourceNotFoundException",
                                     "message": "Secrets Manager can't find the specified secret."})
        name = SECRET_ARN.split(":secret:", 1)[1].rsplit("-", 1)[0]
        if target == "secretsmanager.PutSecretValue":
            with open(SECRET_FILE, "w") as f:
                f.write(body["SecretString"])
            return self.answer(200, {"ARN": SECRET_ARN, "Name": name, "VersionId": str(uuid.uuid4()),
                                     "VersionStages": ["AWSCURRENT"]})
        with open(SECRET_FILE) as f:
            secret_string = f.read()
        if not secret_string:
            return self.answer(400, {"__type": "ResourceNotFoundException", "message":
                                     "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"})
        self.answer(200, {"ARN": SECRET_ARN, "Name": name, "SecretString": secret_string,
                          "VersionId": "00000000-0000-0000-0000-000000000001",
                          "VersionStages": ["AWSCURRENT"], "CreatedDate": 1767225600.0})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
