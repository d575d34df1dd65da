"""Cloud phones from Python: Alibaba phones with a tag (every page), and the running phones of both clouds.

Credentials are stack configuration secrets, read by the default provider:
    pulumi config set --secret cloudphone:aliyunAccessKeySecret ...
Config of this program: `tagValue` (default prod), the value of the `env` tag to look for.
"""
import pulumi
import pulumi_cloudphone as cloudphone

config = pulumi.Config()
tag_value = config.get("tagValue") or "prod"

# An Output form: Alibaba phones tagged env=<tagValue>, every page, sorted by id.
tagged = cloudphone.aliyun.get_instances_output(tags={"env": tag_value})

# The plain form: both clouds in the normalized model, running phones only.
running = cloudphone.get_instances(statuses=["running"])

pulumi.export("taggedIds", tagged.ids)
pulumi.export("taggedIps", tagged.instances.apply(lambda phones: [p.network_interface_ip for p in phones]))
pulumi.export("runningIds", running.ids)
pulumi.export("runningByCloud", {cloud: sum(1 for p in running.instances if p.cloud == cloud) for cloud in ("aliyun", "huawei")})
