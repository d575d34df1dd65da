/**
 * Shared fixtures of the cross-cutting suites (fault matrix, bad input): both emulators with the leak guard's
 * fake credentials, settings pointing at them, the expected fleets computed independently from the generators,
 * and small helpers to capture CloudPhoneErrors and record every text a user could see.
 */
import * as assert from "node:assert/strict";
import { CloudPhoneError } from "../../provider/common/errors";
import { FAST_RETRY_POLICY, type RetryPolicy } from "../../provider/common/retry";
import { generateAliyunFleet, startAliyunEmulator, type AliyunEmulator } from "../../provider/emulators/aliyun";
import { generateHuaweiFleet, startHuaweiEmulator, type HuaweiEmulator } from "../../provider/emulators/huawei";
import { clearHuaweiTokenCache } from "../../provider/huawei/auth";
import type { LookupContext, Settings } from "../../provider/lookup/types";
import { TEST_SECRETS, addTestSecret, findSecrets, recordOutput } from "../helpers/leak-guard";

/** Page size both emulators are capped at, and fleet size: 57 instances → 6 pages per cloud (≥ 5). */
export const PAGE_CAP = 10;
export const FLEET_SIZE = 57;
export const PAGES = Math.ceil(FLEET_SIZE / PAGE_CAP);
export const ALIYUN_SEED = 4101;
export const HUAWEI_SEED = 4202;

/** An STS credential of our own (the guard's table has a token but no STS secret). */
export const MATRIX_STS = {
    accessKeyId: "STS.LTAI5tMatrixStsKey01",
    accessKeySecret: "matrixFAKEstsSecret-2d4f6b8a0c-DoNotLeak",
    securityToken: TEST_SECRETS.aliyunSecurityToken,
} as const;
addTestSecret(MATRIX_STS.accessKeySecret);

export const MATRIX_HW_USER = {
    userName: "matrix-user",
    password: TEST_SECRETS.huaweiPassword,
    domainName: "matrix-domain",
    projectName: "cn-north-4",
} as const;

export const BATCH_PATH = "/v1/instances/batch-query";
export const IAM_PATH = "/v3/auth/tokens";

/** The ids each generated fleet holds, sorted as the lookups sort (UTF-16 code units), straight from the generators. */
export function expectedAliyunIds(): string[] {
    return generateAliyunFleet(ALIYUN_SEED, FLEET_SIZE).map((r) => String(r.AndroidInstanceId)).sort();
}
export function expectedHuaweiIds(): string[] {
    return generateHuaweiFleet(HUAWEI_SEED, FLEET_SIZE).map((r) => String(r.instance_id)).sort();
}
/** The fleet's first listed record (the one a "delete" list change removes). */
export function firstAliyunId(): string {
    return String(generateAliyunFleet(ALIYUN_SEED, FLEET_SIZE)[0].AndroidInstanceId);
}
export function firstHuaweiId(): string {
    return String(generateHuaweiFleet(HUAWEI_SEED, FLEET_SIZE)[0].instance_id);
}

export interface Emulators {
    readonly aliyun: AliyunEmulator;
    readonly huawei: HuaweiEmulator;
    close(): Promise<void>;
}

/** Both emulators, fresh (own ports, zeroed counters, no cached IAM token pointing at them). */
export async function startEmulators(): Promise<Emulators> {
    clearHuaweiTokenCache();
    const aliyun = await startAliyunEmulator({
        seed: ALIYUN_SEED,
        count: FLEET_SIZE,
        maxResultsCap: PAGE_CAP,
        credentials: [
            { accessKeyId: TEST_SECRETS.aliyunAccessKeyId, accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret },
            MATRIX_STS,
        ],
    });
    const huawei = await startHuaweiEmulator({
        seed: HUAWEI_SEED,
        count: FLEET_SIZE,
        maxPageSize: PAGE_CAP,
        users: [MATRIX_HW_USER],
        akSk: [{ accessKey: TEST_SECRETS.huaweiAccessKey, secretKey: TEST_SECRETS.huaweiSecretKey }],
    });
    return { aliyun, huawei, close: () => Promise.all([aliyun.close(), huawei.close()]).then(() => undefined) };
}

export type HuaweiAuth = "password" | "aksk";

/** Settings with both clouds' credentials pointing at the emulators. */
export function settingsFor(emu: Emulators, opts: { huaweiAuth?: HuaweiAuth; aliyun?: Partial<Settings["aliyun"]>; huawei?: Partial<Settings["huawei"]> } = {}): Settings {
    const hwAuth = (opts.huaweiAuth ?? "password") === "password"
        ? { userName: MATRIX_HW_USER.userName, password: MATRIX_HW_USER.password, domainName: MATRIX_HW_USER.domainName, projectName: MATRIX_HW_USER.projectName }
        : { accessKey: TEST_SECRETS.huaweiAccessKey, secretKey: TEST_SECRETS.huaweiSecretKey };
    return {
        aliyun: { accessKeyId: TEST_SECRETS.aliyunAccessKeyId, accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret, endpoint: emu.aliyun.url, ...opts.aliyun },
        huawei: { ...hwAuth, endpoint: emu.huawei.url, iamEndpoint: emu.huawei.url, ...opts.huawei },
    };
}

/** The environment the CLI and InstanceSet read: both clouds' credentials and endpoints, fast retries. */
export function envFor(emu: Emulators): NodeJS.ProcessEnv {
    return {
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_SECRETS.aliyunAccessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_SECRETS.aliyunAccessKeySecret,
        CLOUDPHONE_ALIYUN_ENDPOINT: emu.aliyun.url,
        HW_ACCESS_KEY: TEST_SECRETS.huaweiAccessKey,
        HW_SECRET_KEY: TEST_SECRETS.huaweiSecretKey,
        CLOUDPHONE_HUAWEI_ENDPOINT: emu.huawei.url,
        CLOUDPHONE_HUAWEI_IAM_ENDPOINT: emu.huawei.url,
        CLOUDPHONE_RETRY_PROFILE: "fast",
    };
}

/** Every request either emulator has seen (authentication and faulted ones included). */
export function totalRequests(emu: Emulators): { aliyun: number; huawei: number } {
    return { aliyun: emu.aliyun.counters().total, huawei: emu.huawei.counters().total };
}

export interface RecordingContext extends LookupContext {
    readonly lines: string[];
}

export function recordingContext(retry: RetryPolicy = FAST_RETRY_POLICY, extra: Partial<LookupContext> = {}): RecordingContext {
    const lines: string[] = [];
    return { retry, log: (l) => lines.push(l), ...extra, lines };
}

/** Await a promise that must reject with a CloudPhoneError; every text of it goes to the global leak scan. */
export async function captureError(p: Promise<unknown>, where: string): Promise<CloudPhoneError> {
    let result: unknown;
    try {
        result = await p;
    } catch (e) {
        assert.ok(e instanceof CloudPhoneError, `${where}: expected a CloudPhoneError, got ${String(e)}`);
        recordError(where, e);
        return e;
    }
    recordOutput(`${where}: unexpected result`, result);
    return assert.fail(`${where}: expected a failure, but the lookup succeeded`);
}

/** Message, one-line description, JSON form and stack of an error, to the leak scan (and checked here at once). */
export function recordError(where: string, e: CloudPhoneError): void {
    const texts = [e.message, e.describe(), JSON.stringify(e.toJSON()), e.stack ?? ""];
    for (const t of texts) {
        recordOutput(where, t);
        assert.deepEqual(findSecrets(t), [], `${where}: a fake secret leaked into the error`);
    }
}
