/**
 * Validation of `cloudphone:huawei:getInstances` arguments: pure, no I/O; every problem is an INVALID_ARGUMENT
 * naming the argument (all problems reported at once).
 */
import { Checker } from "../common/validate";
import { quote } from "../common/quote";
import { toUtcWire } from "../common/time";
import { HUAWEI_ORDERS, HUAWEI_POOL_SCENE_TAGS, HUAWEI_RUNNING_STATUSES, HuaweiGetInstancesArgs } from "./types";

export const HUAWEI_ARG_NAMES = [
    "instanceId", "instanceName", "queryStartTime", "queryEndTime", "poolSceneTag", "poolName", "order", "orderBy", "runningStatuses", "nameRegex",
    "endpoint", "iamEndpoint",
] as const;

const TIME_HINT = "ISO 8601 (e.g. 2024-05-24T09:30:00Z) or YYYY-MM-DD HH:mm:ss in UTC";

export function validateHuaweiArgs(raw: Record<string, unknown>, prefix = ""): HuaweiGetInstancesArgs {
    const c = new Checker(prefix);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        c.fail("args", "must be an object");
        c.done();
    }
    c.unknownKeys(raw, HUAWEI_ARG_NAMES);
    const instanceId = c.string(raw, "instanceId", { maxLength: 128 });
    const instanceName = c.string(raw, "instanceName", { maxLength: 256 });
    const time = (name: string): string | undefined => {
        const v = c.string(raw, name);
        if (v === undefined) return undefined;
        const wire = realCalendarTime(v) ? toUtcWire(v) : undefined;
        if (wire === undefined) c.fail(name, `is not a time (expected ${TIME_HINT}); got ${quote(v, 40)}`);
        return wire;
    };
    const queryStartTime = time("queryStartTime");
    const queryEndTime = time("queryEndTime");
    // The wire form sorts like the time it denotes.
    if (queryStartTime && queryEndTime && queryEndTime < queryStartTime) {
        c.fail("queryEndTime", `must not be earlier than queryStartTime (${queryEndTime} < ${queryStartTime} UTC)`);
    }
    const poolSceneTag = c.enumOf(raw, "poolSceneTag", HUAWEI_POOL_SCENE_TAGS);
    const poolName = c.string(raw, "poolName", { maxLength: 256 });
    const order = c.enumOf(raw, "order", HUAWEI_ORDERS);
    const orderBy = c.string(raw, "orderBy", { pattern: /^[a-z][a-z0-9_]{0,63}$/, patternHint: "a field name such as create_time" });
    const runningStatuses = c.stringArray(raw, "runningStatuses", { values: HUAWEI_RUNNING_STATUSES, maxItems: HUAWEI_RUNNING_STATUSES.length * 4 });
    const regex = c.regex(raw, "nameRegex");
    const endpoint = c.endpoint(raw, "endpoint");
    const iamEndpoint = c.endpoint(raw, "iamEndpoint");
    c.done();
    const out: Record<string, unknown> = {
        instanceId, instanceName, queryStartTime, queryEndTime, poolSceneTag, poolName, order, orderBy,
        runningStatuses: runningStatuses ? [...new Set(runningStatuses)] : undefined,
        nameRegex: regex ? (raw.nameRegex as string) : undefined,
        endpoint, iamEndpoint,
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as HuaweiGetInstancesArgs;
}

/** toUtcWire rolls impossible dates over (2024-02-30 → 03-01); refuse them instead. */
function realCalendarTime(v: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v.trim());
    if (!m) return false;
    const [y, mo, d, h = "0", mi = "0", se = "0"] = m.slice(1).map((x) => x ?? "0");
    const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +se));
    return t.getUTCFullYear() === +y && t.getUTCMonth() === +mo - 1 && t.getUTCDate() === +d && t.getUTCHours() === +h && t.getUTCMinutes() === +mi && t.getUTCSeconds() === +se;
}
