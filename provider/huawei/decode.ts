/**
 * Decoding of batch-query answers: the page meta (which the reference shows at the top level in its example and
 * inside `data` in its field table: both are read, and must agree) and the 21 result fields.
 */
import { CloudPhoneError } from "../common/errors";
import { absentIfNull, toIsoUtc } from "../common/time";
import { HUAWEI_RUNNING_STATUSES, HuaweiInstance, HuaweiRunningStatusName } from "./types";

export interface DecodedPage {
    readonly records: readonly Record<string, unknown>[];
    readonly pageNo?: number;
    readonly pageSize?: number;
    readonly totalCount?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function intOf(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string" && /^-?\d{1,15}$/.test(v.trim())) return parseInt(v, 10);
    return undefined;
}

/** Read a successful (error_code absent or "0") batch-query body. */
export function decodePage(json: Record<string, unknown>, what: string, requestId?: string): DecodedPage {
    const bad = (m: string) => new CloudPhoneError("BAD_RESPONSE", `${what}: ${m}`, { cloud: "huawei", requestId });
    const data = json.data;
    if (!isObject(data)) throw bad("the answer has no `data` object");
    const result = data.result ?? [];
    if (!Array.isArray(result)) throw bad("`data.result` is not a list");
    const meta = (name: string): number | undefined => {
        const top = json[name] === undefined || json[name] === null ? undefined : intOf(json[name]);
        const inner = data[name] === undefined || data[name] === null ? undefined : intOf(data[name]);
        if ((json[name] !== undefined && json[name] !== null && top === undefined) || (data[name] !== undefined && data[name] !== null && inner === undefined)) {
            throw bad(`\`${name}\` is not an integer`);
        }
        if (top !== undefined && inner !== undefined && top !== inner) throw bad(`\`${name}\` differs between the top level (${top}) and \`data\` (${inner})`);
        return top ?? inner;
    };
    const records = result.map((r, i) => {
        if (!isObject(r)) throw bad(`result[${i}] is not an object`);
        return r;
    });
    return { records, pageNo: meta("page_no"), pageSize: meta("page_size"), totalCount: meta("total_count") };
}

/** The id of a wire record; BAD_RESPONSE when it has none. */
export function recordId(r: Record<string, unknown>, what: string): string {
    const id = absentIfNull(r.instance_id);
    if (id === undefined || typeof r.instance_id !== "string") throw new CloudPhoneError("BAD_RESPONSE", `${what}: an instance without instance_id`, { cloud: "huawei" });
    return id;
}

export function runningStatusName(v: number | undefined): HuaweiRunningStatusName {
    return v !== undefined && v >= 0 && v < HUAWEI_RUNNING_STATUSES.length ? HUAWEI_RUNNING_STATUSES[v] : "unknown";
}

/** Wire record → HuaweiInstance. `offsetMinutes`: the zone of backup_time/restore_time (default +08:00). */
export function decodeInstance(r: Record<string, unknown>, offsetMinutes: number, what = "KooPhone batch-query"): HuaweiInstance {
    const str = (k: string) => absentIfNull(r[k]);
    const int = (k: string) => intOf(r[k]);
    const out: Record<string, unknown> = {
        instanceId: recordId(r, what),
        instanceName: str("instance_name"),
        region: str("region"),
        instanceSku: str("instance_sku"),
        frozenStatus: int("frozen_status"),
        runningStatus: int("running_status"),
        runningStatusName: runningStatusName(int("running_status")),
        loginStatus: int("login_status"),
        assignStatus: int("assign_status"),
        assignUser: str("assign_user"),
        billingMode: str("billing_mode"),
        projectId: str("project_id"),
        projectName: str("project_name"),
        phoneId: str("phone_id"),
        memberName: str("member_name"),
        accountName: str("account_name"),
        regionName: str("region_name"),
        regionNameEn: str("region_name_en"),
        backupStatus: int("backup_status"),
        backupTime: str("backup_time"),
        backupTimeUtc: toIsoUtc(str("backup_time"), offsetMinutes),
        restoreStatus: int("restore_status"),
        restoreTime: str("restore_time"),
        restoreTimeUtc: toIsoUtc(str("restore_time"), offsetMinutes),
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as unknown as HuaweiInstance;
}
