// S3 access for one project in several regions: a key per region and ready client configs,
// exported as secret stack outputs (examples/multi-region, in Go).
package main

import (
	"example.com/pulumi-openstack-s3-access/sdk/go/openstacks3access"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "s3access")
		regions := []string{"Kna1", "Sto2"}
		cfg.GetObject("regions", &regions)
		args := &openstacks3access.S3AccessArgs{
			Regions:          pulumi.ToStringArray(regions),
			RotationTriggers: pulumi.StringMap{"generation": pulumi.String(orDefault(cfg.Get("keyGeneration"), "1"))},
		}
		if name := cfg.Get("projectName"); name != "" {
			args.ProjectName = pulumi.String(name)
		}
		// "cleura" knows each region's Keystone and S3 host; "none" uses openstack-s3-access:authUrl
		// for every region and Keystone's service catalog for the S3 endpoints (private clouds).
		if preset := orDefault(cfg.Get("preset"), "cleura"); preset != "none" {
			args.Preset = pulumi.String(preset)
		}
		access, err := openstacks3access.NewS3Access(ctx, "s3", args)
		if err != nil {
			return err
		}
		// Everything s3-access-write installs (secret), and per region name, endpoint and access key id.
		ctx.Export("s3", access.ClientConfigs)
		ctx.Export("endpoints", access.Regions)
		return nil
	})
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
