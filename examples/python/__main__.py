"""S3 access for one project in several regions: a key per region and ready client configs,
exported as secret stack outputs (examples/multi-region, in Python)."""
import pulumi
import pulumi_openstack_s3_access as s3access

config = pulumi.Config("s3access")
# "cleura" knows each region's Keystone and S3 host; "none" uses openstack-s3-access:authUrl for
# every region and Keystone's service catalog for the S3 endpoints (private clouds).
preset = config.get("preset") or "cleura"

access = s3access.S3Access(
    "s3",
    regions=config.get_object("regions") or ["Kna1", "Sto2"],
    project_name=config.get("projectName"),
    preset=None if preset == "none" else preset,
    rotation_triggers={"generation": config.get("keyGeneration") or "1"},
)

# Everything s3-access-write installs: aws, s3cmd, mc, rclone, s5cmd and dotenv configs (secret).
pulumi.export("s3", access.client_configs)
# Per region: name, endpoint and access key id (not secret).
pulumi.export("endpoints", access.regions)
