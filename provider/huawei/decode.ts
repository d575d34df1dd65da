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

/**
 * An integer field, as a number or a string of digits. One beyond 2^53 (the parser hands it over exactly, as its
 * decimal string) cannot be held by a number: refused, never rounded.
 */
function intOf(v: unknown, field: string): number | undefined {
    if (typeof v === "number") {
        if (!Number.isInteger(v)) return undefined;
        if (Number.isSafeInteger(v)) return v;
        throw beyond53(field, String(v));
    }
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) {
        const n = Number(v);
        if (Number.isSafeInteger(n)) return n;
        throw beyond53(field, v.trim());
    }
    return undefined;
}

function beyond53(field: string, digits: string): CloudPhoneError {
    const shown = digits.length > 40 ? `${digits.slice(0, 40)}… (${digits.length} digits)` : digits;
    return new CloudPhoneError("BAD_RESPONSE", `\`${field}\` is ${shown}, an integer beyond 2^53 that this client cannot hold exactly`, { cloud: "huawei" });
}

/** Read a successful (error_code absent or "0") batch-query body. */
export function decodePage(json: Record<string, unknown>, what: string, requestId?: string): DecodedPage {
    const bad = (m: string) => new CloudPhoneError("BAD_RESPONSE", `${what}: ${m}`, { cloud: "huawei", requestId });
    const data = json.data;
    if (!isObject(data)) throw bad("the answer has no `data` object");
    const result = data.result ?? [];
    if (!Array.isArray(result)) throw bad("`data.result` is not a list");
    const meta = (name: string): number | undefined => {
        let top: number | undefined;
        let inner: number | undefined;
        try {
            top = json[name] === undefined || json[name] === null ? undefined : intOf(json[name], name);
            inner = data[name] === undefined || data[name] === null ? undefined : intOf(data[name], `data.${name}`);
        } catch (e) {
            throw e instanceof CloudPhoneError ? bad(e.message) : e;
        }
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
    const v = r.instance_id;
    if (typeof v === "string" && v !== "" && v !== "null") return v;
    const id = absentIfNull(v);
    if (id === undefined || typeof r.instance_id !== "string") throw new CloudPhoneError("BAD_RESPONSE", `${what}: an instance without instance_id`, { cloud: "huawei" });
    return id;
}

export function runningStatusName(v: number | undefined): HuaweiRunningStatusName {
    return v !== undefined && v >= 0 && v < HUAWEI_RUNNING_STATUSES.length ? HUAWEI_RUNNING_STATUSES[v] : "unknown";
}

/** absentIfNull, answered at once for a string. */
function str(v: unknown): string | undefined {
    if (typeof v === "string") return v === "null" || v === "" ? undefined : v;
    return absentIfNull(v);
}

/** intOf, answered at once for a safe integer. */
function int(v: unknown, field: string): number | undefined {
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    return v === undefined || v === null ? undefined : intOf(v, field);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds one HuaweiInstance with only its defined members, in the order of the result fields. A constructor rather
 * than a literal whose undefined members are deleted afterwards: `delete` turns an object into a slow dictionary,
 * and the constructor's objects keep their members in-object. Its prototype is Object.prototype: the result is a
 * plain object like any literal.
 */
const HuaweiRecord = function HuaweiRecord(this: Mutable<HuaweiInstance>, r: Record<string, unknown>, id: string, offsetMinutes: number) {
    let s: string | undefined;
    let n: number | undefined;
    this.instanceId = id;
    if ((s = str(r.instance_name)) !== undefined) this.instanceName = s;
    if ((s = str(r.region)) !== undefined) this.region = s;
    if ((s = str(r.instance_sku)) !== undefined) this.instanceSku = s;
    if ((n = int(r.frozen_status, "frozen_status")) !== undefined) this.frozenStatus = n;
    const running = int(r.running_status, "running_status");
    if (running !== undefined) this.runningStatus = running;
    this.runningStatusName = runningStatusName(running);
    if ((n = int(r.login_status, "login_status")) !== undefined) this.loginStatus = n;
    if ((n = int(r.assign_status, "assign_status")) !== undefined) this.assignStatus = n;
    if ((s = str(r.assign_user)) !== undefined) this.assignUser = s;
    if ((s = str(r.billing_mode)) !== undefined) this.billingMode = s;
    if ((s = str(r.project_id)) !== undefined) this.projectId = s;
    if ((s = str(r.project_name)) !== undefined) this.projectName = s;
    if ((s = str(r.phone_id)) !== undefined) this.phoneId = s;
    if ((s = str(r.member_name)) !== undefined) this.memberName = s;
    if ((s = str(r.account_name)) !== undefined) this.accountName = s;
    if ((s = str(r.region_name)) !== undefined) this.regionName = s;
    if ((s = str(r.region_name_en)) !== undefined) this.regionNameEn = s;
    if ((n = int(r.backup_status, "backup_status")) !== undefined) this.backupStatus = n;
    const backupTime = str(r.backup_time);
    if (backupTime !== undefined) {
        this.backupTime = backupTime;
        if ((s = toIsoUtc(backupTime, offsetMinutes)) !== undefined) this.backupTimeUtc = s;
    }
    if ((n = int(r.restore_status, "restore_status")) !== undefined) this.restoreStatus = n;
    const restoreTime = str(r.restore_time);
    if (restoreTime !== undefined) {
        this.restoreTime = restoreTime;
        if ((s = toIsoUtc(restoreTime, offsetMinutes)) !== undefined) this.restoreTimeUtc = s;
    }
} as unknown as new (r: Record<string, unknown>, id: string, offsetMinutes: number) => HuaweiInstance;
(HuaweiRecord as unknown as { prototype: object }).prototype = Object.prototype;

/** Wire record → HuaweiInstance. `offsetMinutes`: the zone of backup_time/restore_time (default +08:00). */
export function decodeInstance(r: Record<string, unknown>, offsetMinutes: number, what = "KooPhone batch-query"): HuaweiInstance {
    const id = recordId(r, what);
    try {
        return new HuaweiRecord(r, id, offsetMinutes);
    } catch (e) {
        throw e instanceof CloudPhoneError ? new CloudPhoneError(e.code, `${what}: instance ${id}: ${e.message}`, { cloud: "huawei" }) : e;
    }
}
