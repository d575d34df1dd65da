"""Alibaba's official Python SDK (alibabacloud-eds-aic20230930) driven as its documentation tells a user, against
an endpoint given on stdin (the loopback emulator). Used by test/peers/aliyun-official.test.ts and by the bench
(section 10: what a user writes without us, the obvious NextToken loop).

usage:  python aliyun_official.py [--https] [--ca FILE]
        plain HTTP by default (the emulator's default); --https speaks HTTPS with the SDK's default trust (its CA
        bundle: the emulator's test CA is not in it, so the handshake must fail); --ca FILE speaks HTTPS trusting FILE,
        through the SDK's own setting (Config.ca, passed to requests as `verify`): verification stays on.
stdin:  {"endpoint": "127.0.0.1:PORT", "accessKeyId": ..., "accessKeySecret": ..., "request": {snake_case fields},
         "allPages": true}
stdout: {"pages": N, "totalCount": N, "instances": [InstanceModel.to_map(), ...], "requestIds": [...],
         "elapsedMs": from before the first request to the last record in hand}
        ("countOnly": true in stdin leaves "instances" out and gives "count")
        or {"error": {"code": ..., "message": ..., "statusCode": ...}}
"""
import argparse
import json
import sys
import time

from alibabacloud_eds_aic20230930 import models as eds_models
from alibabacloud_eds_aic20230930.client import Client
from alibabacloud_tea_openapi import utils_models as open_api_models


def main() -> None:
    parser = argparse.ArgumentParser(description="Alibaba's official Python SDK against an emulator (spec on stdin)")
    parser.add_argument("--https", action="store_true", help="HTTPS with the SDK's default CA bundle")
    parser.add_argument("--ca", metavar="FILE", help="HTTPS trusting this CA bundle (PEM), verification on")
    options = parser.parse_args()
    spec = json.load(sys.stdin)
    config = open_api_models.Config(
        access_key_id=spec["accessKeyId"],
        access_key_secret=spec["accessKeySecret"],
        endpoint=spec["endpoint"],
        # the emulator listens on plain loopback HTTP unless started with tls
        protocol="HTTPS" if options.https or options.ca else "HTTP",
    )
    if options.ca:
        config.ca = options.ca
    client = Client(config)
    fields = dict(spec.get("request", {}))
    tags = fields.pop("tag", None)
    request = eds_models.DescribeAndroidInstancesRequest(**fields)
    if tags is not None:
        request.tag = [eds_models.DescribeAndroidInstancesRequestTag(key=t["key"], value=t.get("value")) for t in tags]
    instances, request_ids, pages, total = [], [], 0, None
    started = time.perf_counter()
    try:
        while True:
            response = client.describe_android_instances(request)
            body = response.body
            pages += 1
            request_ids.append(body.request_id)
            total = body.total_count
            instances.extend(m.to_map() for m in (body.instance_model or []))
            if not spec.get("allPages") or not body.next_token:
                break
            request.next_token = body.next_token
    except Exception as e:  # the SDK's own error type, with the API's code
        print(json.dumps({"error": {"type": type(e).__name__, "code": getattr(e, "code", None), "message": str(getattr(e, "message", e)), "statusCode": getattr(e, "status_code", getattr(e, "statusCode", None))}}))
        return
    elapsed_ms = (time.perf_counter() - started) * 1000
    answer = {"pages": pages, "totalCount": total, "requestIds": request_ids, "elapsedMs": elapsed_ms}
    if spec.get("countOnly"):
        answer["count"] = len(instances)
    else:
        answer["instances"] = instances
    print(json.dumps(answer))


main()
