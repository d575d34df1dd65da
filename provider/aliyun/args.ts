/** Validation of `cloudphone:aliyun:getInstances` arguments: no I/O, every problem named by its argument. */
import { Checker } from "../common/validate";
import { ALIYUN_CHARGE_TYPES, ALIYUN_SALE_MODES, ALIYUN_SORT_TYPES, ALIYUN_STATUSES, AliyunGetInstancesArgs } from "./types";

export const ALIYUN_ARG_NAMES = [
    "instanceIds", "instanceName", "status", "instanceGroupId", "instanceGroupIds", "instanceGroupName", "keyPairId",
    "saleMode", "chargeType", "tags", "bizRegionId", "bizRegionIds", "instanceVersion", "sortKey", "sortType", "nodeId", "nodeName", "officeSiteIds", "authorizedUserId",
    "qosRuleIds", "appManagePolicyId", "privateIpAddress", "statuses", "nameRegex", "region", "endpoint",
] as const;

/** Region ids such as cn-shanghai, ap-southeast-1, us-west-1. */
export const ALIYUN_REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;
/** Most values a list filter other than instanceIds takes (those are not batched). */
const MAX_LIST = 100;
const MAX_TAGS = 20;
const MAX_REGIONS = 32;
const ID_LIKE = { maxLength: 256 };

export function validateAliyunArgs(raw: Record<string, unknown>): AliyunGetInstancesArgs {
    const c = new Checker();
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        c.fail("(arguments)", "must be an object");
        c.done();
    }
    c.unknownKeys(raw, ALIYUN_ARG_NAMES);
    const out: Record<string, unknown> = {
        instanceIds: c.stringArray(raw, "instanceIds", { pattern: /^\S+$/, patternHint: "ids without spaces" }),
        instanceName: c.string(raw, "instanceName", ID_LIKE),
        status: c.enumOf(raw, "status", ALIYUN_STATUSES),
        instanceGroupId: c.string(raw, "instanceGroupId", ID_LIKE),
        instanceGroupIds: c.stringArray(raw, "instanceGroupIds", { maxItems: MAX_LIST }),
        instanceGroupName: c.string(raw, "instanceGroupName", ID_LIKE),
        keyPairId: c.string(raw, "keyPairId", ID_LIKE),
        saleMode: c.enumOf(raw, "saleMode", ALIYUN_SALE_MODES),
        chargeType: c.enumOf(raw, "chargeType", ALIYUN_CHARGE_TYPES),
        tags: c.stringMap(raw, "tags"),
        bizRegionId: c.string(raw, "bizRegionId", { pattern: ALIYUN_REGION_PATTERN, patternHint: "a region id such as cn-shanghai" }),
        bizRegionIds: c.stringArray(raw, "bizRegionIds", { pattern: ALIYUN_REGION_PATTERN, patternHint: "region ids such as cn-shanghai", maxItems: MAX_REGIONS }),
        instanceVersion: c.string(raw, "instanceVersion", { pattern: /^[A-Za-z0-9_.-]{1,64}$/, patternHint: "a product version such as basic or EnterpriseAi" }),
        sortKey: c.string(raw, "sortKey", { pattern: /^[A-Za-z0-9_]{1,64}$/, patternHint: "a field name such as CreationTime" }),
        sortType: c.enumOf(raw, "sortType", ALIYUN_SORT_TYPES),
        nodeId: c.string(raw, "nodeId", ID_LIKE),
        nodeName: c.string(raw, "nodeName", ID_LIKE),
        officeSiteIds: c.stringArray(raw, "officeSiteIds", { maxItems: MAX_LIST }),
        authorizedUserId: c.string(raw, "authorizedUserId", ID_LIKE),
        qosRuleIds: c.stringArray(raw, "qosRuleIds", { maxItems: MAX_LIST }),
        appManagePolicyId: c.string(raw, "appManagePolicyId", ID_LIKE),
        privateIpAddress: c.string(raw, "privateIpAddress", { pattern: /^\d{1,3}(\.\d{1,3}){3}$/, patternHint: "an IPv4 address" }),
        statuses: c.stringArray(raw, "statuses", { values: ALIYUN_STATUSES }),
        region: c.string(raw, "region", { pattern: ALIYUN_REGION_PATTERN, patternHint: "a region id such as cn-shanghai" }),
        endpoint: c.endpoint(raw, "endpoint"),
    };
    if (c.regex(raw, "nameRegex") !== undefined) out.nameRegex = raw.nameRegex as string;
    const tags = out.tags as Record<string, string> | undefined;
    if (tags && Object.keys(tags).length > MAX_TAGS) c.fail("tags", `must have at most ${MAX_TAGS} entries`);
    if (out.bizRegionId !== undefined && out.bizRegionIds !== undefined) c.fail("bizRegionIds", "give bizRegionId or bizRegionIds, not both");
    if (Array.isArray(raw.bizRegionIds) && raw.bizRegionIds.length === 0) c.fail("bizRegionIds", "must name at least one region, or be left out");
    c.done();
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as AliyunGetInstancesArgs;
}
