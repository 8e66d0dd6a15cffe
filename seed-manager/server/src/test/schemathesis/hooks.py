"""Keeps the contract tester's requests from reaching outside the seed manager under test, and reads
YAML answers as the document types them.

schemathesis.toml loads this file and says why. before_call runs right before every request of every
phase (examples from the document, coverage, fuzzing, stateful steps), so no value the fuzzer draws
or the document offers as an example gets past it; schemathesis then revalidates the request against
the document, so a changed value never turns a request it meant as invalid into a wrong verdict.
"""

import schemathesis
from schemathesis.core.media_types import YAML_MEDIA_TYPES

# SSH delivery and deprovisioning dial the device's host: only loopback is a test address here.
LOOPBACK = "127.0.0.1"


@schemathesis.hook
def before_call(context, case, kwargs):
    body = case.body
    if not isinstance(body, dict):
        return
    # A project's cluster quota bounds how many control planes start: the fuzzer's projects get none
    # (null or absent would mean no limit), whatever it asks for.
    quota = body.get("quota")
    if isinstance(quota, dict):
        clusters = quota.get("clusters")
        if clusters is None or (isinstance(clusters, int) and not isinstance(clusters, bool)):
            quota["clusters"] = 0
    ssh = body.get("ssh")
    if isinstance(ssh, dict) and isinstance(ssh.get("host"), str):
        ssh["host"] = LOOPBACK


# Every YAML media type: schemathesis picks the first registered deserializer of the YAML family.
@schemathesis.deserializer(*YAML_MEDIA_TYPES)
def yaml_as_text(ctx, response):
    # The document types its YAML download (a kubeconfig, a file to save) as a string: the YAML
    # text. schemathesis would parse it and compare the parsed mapping with "string" instead.
    return response.content.decode(response.encoding or "utf-8")
