/**
 * Deterministic KooPhone fleets for the Huawei emulator. Self-contained on purpose: the emulator must not share
 * code with the client it is used to test.
 *
 * A fleet entry is a wire record: exactly the 21 `result` fields of the reference, plus hidden fields whose names
 * start with `_` that the emulator filters on but never sends:
 * - `_create_time` (UTC `YYYY-MM-DD HH:mm:ss`): what `query_start_time`/`query_end_time` apply to. The reference
 *   does not say which time the window filters, and the record has no creation time, so this is an assumption.
 * - `_pool_scene_tag` (`CLOUD_APP`|`CLOUD_PHONE`) and `_pool_name` (the experimental `pool_name` parameter).
 */

/** The 21 result fields of the reference (Table 5), in the reference's order. */
export const HUAWEI_RESULT_FIELDS = [
    "instance_id", "instance_name", "region", "instance_sku", "frozen_status", "running_status", "login_status",
    "assign_status", "assign_user", "billing_mode", "project_id", "project_name", "phone_id", "member_name",
    "account_name", "region_name", "region_name_en", "backup_status", "backup_time", "restore_status", "restore_time",
] as const;

export { seededRandom } from "./shared";
import { seededRandom } from "./shared";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const REGIONS: ReadonlyArray<readonly [string, string, string]> = [
    ["cn-north-4", "华北-北京四", "CN North-Beijing4"],
    ["cn-north-7", "华北-乌兰察布二零三", "CN North-Ulanqab203"],
    ["cn-east-3", "华东-上海一", "CN East-Shanghai1"],
    ["cn-south-1", "华南-广州", "CN South-Guangzhou"],
];
const SKUS = [
    "Professional edition | 8 vCPUs | 16 GB | 10 GB storage | Maximum resolution: 720p",
    "Standard edition | 4 vCPUs | 8 GB | 10 GB storage | Maximum resolution: 720p",
    "Ultimate edition | 16 vCPUs | 32 GB | 64 GB storage | Maximum resolution: 1080p",
];
const NAME_PREFIXES = ["CCTEST", "game", "shop", "qa"];
const POOLS = ["pool-a", "pool-b", "pool-c"];

function pick<T>(rnd: () => number, list: readonly T[]): T {
    return list[Math.floor(rnd() * list.length)];
}
function pad(n: number, w = 2): string {
    return String(n).padStart(w, "0");
}
function timeString(ms: number): string {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `count` instances, the same for the same seed. Ids are unique 8-character strings like the reference's `5srn5hL8`. */
export function generateHuaweiFleet(seed: number, count: number): Record<string, unknown>[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError("count must be a non-negative integer");
    const rnd = seededRandom(seed);
    const ids = new Set<string>();
    const out: Record<string, unknown>[] = [];
    const t0 = Date.UTC(2023, 0, 1);
    const span = Date.UTC(2025, 5, 30) - t0;
    for (let i = 0; i < count; i++) {
        let id = "";
        do {
            id = Array.from({ length: 8 }, () => pick(rnd, ALNUM.split(""))).join("");
        } while (ids.has(id));
        ids.add(id);
        const [region, regionName, regionNameEn] = pick(rnd, REGIONS);
        const created = t0 + Math.floor(rnd() * span);
        const backupAt = created + Math.floor(rnd() * 30 * 86_400_000);
        const hasBackup = rnd() < 0.7;
        const hasPhone = rnd() < 0.65;
        out.push({
            instance_id: id,
            instance_name: `${pick(rnd, NAME_PREFIXES)}-${pad(i + 1, 5)}`,
            region,
            instance_sku: pick(rnd, SKUS),
            frozen_status: rnd() < 0.05 ? 1 : 0,
            running_status: Math.floor(rnd() * 6),
            login_status: rnd() < 0.5 ? 1 : 0,
            assign_status: rnd() < 0.8 ? 1 : 0,
            assign_user: String(1008600000000000000n + BigInt(Math.floor(rnd() * 1e12))),
            billing_mode: rnd() < 0.5 ? "1" : "0",
            project_id: "9d71ec45aef04d84a991c12250227b5c",
            project_name: region,
            phone_id: hasPhone ? Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(rnd() * 16)]).join("") : "null",
            member_name: `member${Math.floor(rnd() * 50)}`,
            account_name: `user${Math.floor(rnd() * 50)}@example.huaweiapaas.com`,
            region_name: regionName,
            region_name_en: regionNameEn,
            backup_status: hasBackup ? Math.floor(rnd() * 5) : 0,
            backup_time: hasBackup ? timeString(backupAt) : "null",
            restore_status: Math.floor(rnd() * 5),
            restore_time: rnd() < 0.5 ? timeString(backupAt + 3 * 3_600_000) : "null",
            _create_time: timeString(created),
            _pool_scene_tag: rnd() < 0.7 ? "CLOUD_PHONE" : "CLOUD_APP",
            _pool_name: pick(rnd, POOLS),
        });
    }
    return out;
}

/**
 * A fleet from JSON text: an array of result objects, or a whole batch-query answer (`{"data":{"result":[…]}}`).
 * Every entry needs a string instance_id, unique across the fleet.
 */
export function parseHuaweiFleetJson(text: string): Record<string, unknown>[] {
    const v: unknown = JSON.parse(text);
    const list = Array.isArray(v) ? v : (v as { data?: { result?: unknown } } | null)?.data?.result;
    if (!Array.isArray(list)) throw new Error("a Huawei fleet must be a JSON array of result objects (or a batch-query answer)");
    const ids = new Set<string>();
    return list.map((e, i) => {
        if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error(`fleet entry ${i} is not an object`);
        const id = (e as Record<string, unknown>).instance_id;
        if (typeof id !== "string" || id === "") throw new Error(`fleet entry ${i} has no string instance_id`);
        if (ids.has(id)) throw new Error(`fleet entry ${i} repeats instance_id ${id}`);
        ids.add(id);
        return { ...(e as Record<string, unknown>) };
    });
}

/** The wire form of a fleet entry: exactly the 21 result fields (hidden `_` fields dropped). */
export function wireRecord(entry: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of HUAWEI_RESULT_FIELDS) if (f in entry) out[f] = entry[f];
    return out;
}
