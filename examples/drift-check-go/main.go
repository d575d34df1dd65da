// Drift check for cloud phones from Go: an InstanceSet pins the phones tagged env=prod.
//
// `pulumi refresh --preview-only --expect-no-changes --diff` (or `pulumi preview --refresh --expect-no-changes`)
// fails when a phone was added, removed, or changed in name, status, group, tags, private IP or region, one line per
// phone. Accept the live fleet: `pulumi config set acceptedAt "$(date -u +%FT%TZ)"` and `pulumi up`.
//
// Credentials are stack configuration secrets (or the environment), read by the default provider:
//
//	pulumi config set --secret cloudphone:aliyunAccessKeySecret ...
package main

import (
	"github.com/pulumi-cloudphone/pulumi-cloudphone/sdk/go/cloudphone"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		args := &cloudphone.InstanceSetArgs{Tags: pulumi.StringMap{"env": pulumi.String("prod")}}
		if acceptedAt := config.New(ctx, "").Get("acceptedAt"); acceptedAt != "" {
			args.AcceptedAt = pulumi.StringPtr(acceptedAt)
		}
		phones, err := cloudphone.NewInstanceSet(ctx, "prod-phones", args)
		if err != nil {
			return err
		}
		ctx.Export("expectedCount", phones.ExpectedCount)
		ctx.Export("liveCount", phones.LiveCount)
		ctx.Export("driftDetected", phones.DriftDetected)
		ctx.Export("drift", phones.Drift)
		return nil
	})
}
