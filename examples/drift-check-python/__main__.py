"""Drift check for cloud phones from Python: an InstanceSet pins the phones tagged env=prod.

`pulumi refresh --preview-only --expect-no-changes --diff` (or `pulumi preview --refresh --expect-no-changes`) fails
when a phone was added, removed, or changed in name, status, group, tags, private IP or region, one line per phone.
Accept the live fleet: `pulumi config set acceptedAt "$(date -u +%FT%TZ)"` and `pulumi up`.

Credentials are stack configuration secrets (or the environment), read by the default provider:
    pulumi config set --secret cloudphone:aliyunAccessKeySecret ...
"""
import pulumi
import pulumi_cloudphone as cloudphone

config = pulumi.Config()

phones = cloudphone.InstanceSet(
    "prod-phones",
    tags={"env": "prod"},
    accepted_at=config.get("acceptedAt") or None,
)

pulumi.export("expectedCount", phones.expected_count)
pulumi.export("liveCount", phones.live_count)
pulumi.export("driftDetected", phones.drift_detected)
pulumi.export("drift", phones.drift)
