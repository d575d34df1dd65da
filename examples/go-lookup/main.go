// Cloud phones from Go: Alibaba phones with a tag (an Output), the running phones of both clouds (a plain result),
// one phone found with getInstance whose private IP feeds another resource's inputs, and an InstanceSet recording
// the tagged phones.
//
// Credentials are stack configuration secrets, read by the default provider:
//
//	pulumi config set --secret cloudphone:aliyunAccessKeySecret ...
//
// Config of this program: `tagValue` (default prod), the value of the `env` tag to look for; `phoneId`, the Alibaba
// phone whose address an AdbEndpoint is built from; `adbPort` (default 5555).
package main

import (
	"fmt"

	"github.com/pulumi-cloudphone/pulumi-cloudphone/sdk/go/cloudphone"
	"github.com/pulumi-cloudphone/pulumi-cloudphone/sdk/go/cloudphone/aliyun"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// AdbEndpoint stands for whatever needs a phone's address (a load balancer backend, a DNS record, a test runner).
type AdbEndpoint struct {
	pulumi.ResourceState
	Address     pulumi.StringOutput `pulumi:"address"`
	Description pulumi.StringOutput `pulumi:"description"`
}

func NewAdbEndpoint(ctx *pulumi.Context, name string, host pulumi.StringInput, port int, phoneName pulumi.StringInput, opts ...pulumi.ResourceOption) (*AdbEndpoint, error) {
	endpoint := &AdbEndpoint{}
	if err := ctx.RegisterComponentResource("examples:cloudphone:AdbEndpoint", name, endpoint, opts...); err != nil {
		return nil, err
	}
	endpoint.Address = pulumi.Sprintf("%s:%d", host, port)
	endpoint.Description = pulumi.Sprintf("adb connect %s  # %s", endpoint.Address, phoneName)
	if err := ctx.RegisterResourceOutputs(endpoint, pulumi.Map{"address": endpoint.Address, "description": endpoint.Description}); err != nil {
		return nil, err
	}
	return endpoint, nil
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		tagValue := conf.Get("tagValue")
		if tagValue == "" {
			tagValue = "prod"
		}
		adbPort := conf.GetInt("adbPort")
		if adbPort == 0 {
			adbPort = 5555
		}

		// The Output form: Alibaba phones tagged env=<tagValue>, every page, sorted by id.
		tagged := aliyun.GetInstancesOutput(ctx, aliyun.GetInstancesOutputArgs{Tags: pulumi.StringMap{"env": pulumi.String(tagValue)}})
		ctx.Export("taggedIds", tagged.Ids())
		ctx.Export("taggedIps", tagged.Instances().ApplyT(func(phones []aliyun.Instance) []string {
			ips := make([]string, 0, len(phones))
			for _, p := range phones {
				if p.NetworkInterfaceIp != nil {
					ips = append(ips, *p.NetworkInterfaceIp)
				}
			}
			return ips
		}).(pulumi.StringArrayOutput))

		// The plain form: both clouds in the normalized model, running phones only.
		running, err := cloudphone.GetInstances(ctx, &cloudphone.GetInstancesArgs{Statuses: []string{"running"}})
		if err != nil {
			return err
		}
		byCloud := map[string]int{"aliyun": 0, "huawei": 0}
		for _, p := range running.Instances {
			byCloud[string(p.Cloud)]++
		}
		ctx.Export("runningIds", pulumi.ToStringArray(running.Ids))
		ctx.Export("runningByCloud", pulumi.ToIntMap(byCloud))

		// Exactly one phone (the update fails, saying how many matched, unless exactly one does), its private IP
		// wired into another resource's inputs.
		phone := cloudphone.GetInstanceOutput(ctx, cloudphone.GetInstanceOutputArgs{
			Ids:    pulumi.StringArray{pulumi.String(conf.Require("phoneId"))},
			Clouds: cloudphone.CloudArray{cloudphone.CloudAliyun},
		}).Instance()
		host := phone.ApplyT(func(p cloudphone.Instance) (string, error) {
			if p.PrivateIp == nil {
				return "", fmt.Errorf("phone %s has no private IP", p.Id)
			}
			return *p.PrivateIp, nil
		}).(pulumi.StringOutput)
		endpoint, err := NewAdbEndpoint(ctx, "phone-adb", host, adbPort, phone.Name())
		if err != nil {
			return err
		}
		ctx.Export("phoneStatus", phone.Status())
		ctx.Export("adbAddress", endpoint.Address)
		ctx.Export("connect", endpoint.Description)

		// A recorded set of the tagged phones: `pulumi preview --refresh --expect-no-changes` fails when it drifts
		// (examples/drift-check-go is the drift check on its own).
		set, err := cloudphone.NewInstanceSet(ctx, "tagged-phones", &cloudphone.InstanceSetArgs{Tags: pulumi.StringMap{"env": pulumi.String(tagValue)}})
		if err != nil {
			return err
		}
		ctx.Export("setIds", set.Ids)
		ctx.Export("setDriftDetected", set.DriftDetected)
		return nil
	})
}
