/**
 * Both cloud emulators at once, with a deterministic demo fleet and fake credentials, plus the environment that
 * points the CLI, the plugin or a Pulumi program at them. Used by `cloudphone emulator`, `cloudphone demo` and tests.
 *
 * Like the emulators themselves, this imports nothing from the clients.
 */
import { startAliyunEmulator, generateAliyunFleet, type AliyunEmulator, type AliyunEmulatorOptions } from "./aliyun";
import { startHuaweiEmulator, generateHuaweiFleet, type HuaweiEmulator, type HuaweiEmulatorOptions } from "./huawei";
import { EMULATOR_CA_PATH } from "./tls";

export { startAliyunEmulator, generateAliyunFleet, type AliyunEmulator } from "./aliyun";
export { startHuaweiEmulator, generateHuaweiFleet, type HuaweiEmulator } from "./huawei";
export { EMULATOR_CA_PATH, emulatorCa, emulatorServerCredentials } from "./tls";
export { JsonNumber, type ConnectionCounts } from "./shared";

/** Fake credentials the demo emulators accept. Not secrets: they only open local emulators. */
export const DEMO_CREDENTIALS = Object.freeze({
    aliyun: Object.freeze({ accessKeyId: "LTAI5tDemoEmulatorKeyId", accessKeySecret: "demo-emulator-aliyun-secret-not-a-real-key" }),
    huawei: Object.freeze({ accessKey: "DEMOEMULATORHWACCESSKEY", secretKey: "demo-emulator-huawei-secret-not-a-real-key" }),
});

export const DEMO_SEED = 2024;
export const DEMO_ALIYUN_COUNT = 150;
export const DEMO_HUAWEI_COUNT = 120;

export interface DemoEmulatorOptions {
    /** Seed of both generated fleets (default DEMO_SEED). */
    readonly seed?: number;
    readonly aliyunCount?: number;
    readonly huaweiCount?: number;
    /** Explicit fleets (wire records) instead of generated ones. */
    readonly aliyunFleet?: readonly Record<string, unknown>[];
    readonly huaweiFleet?: readonly Record<string, unknown>[];
    /** Extra emulator options (faults, readings, page caps). Credentials stay the demo ones. */
    readonly aliyun?: Omit<AliyunEmulatorOptions, "fleet" | "seed" | "count" | "credentials">;
    readonly huawei?: Omit<HuaweiEmulatorOptions, "fleet" | "seed" | "count" | "akSk">;
    /**
     * Both over HTTPS with the test certificate; `env` then also sets NODE_EXTRA_CA_CERTS to the test CA, which a
     * Node process reads only when it starts: it serves processes started with that env, not this one.
     */
    readonly tls?: boolean;
}

export interface DemoEmulators {
    readonly aliyun: AliyunEmulator;
    readonly huawei: HuaweiEmulator;
    /**
     * The environment pointing at both emulators: ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, CLOUDPHONE_ALIYUN_ENDPOINT,
     * HW_ACCESS_KEY/HW_SECRET_KEY, CLOUDPHONE_HUAWEI_ENDPOINT, CLOUDPHONE_HUAWEI_IAM_ENDPOINT and
     * CLOUDPHONE_RETRY_PROFILE=fast (local servers need no patient backoff); with tls, NODE_EXTRA_CA_CERTS too.
     */
    readonly env: Readonly<Record<string, string>>;
    close(): Promise<void>;
}

export async function startDemoEmulators(opts: DemoEmulatorOptions = {}): Promise<DemoEmulators> {
    const seed = opts.seed ?? DEMO_SEED;
    const aliyun = await startAliyunEmulator({
        tls: opts.tls,
        ...opts.aliyun,
        fleet: opts.aliyunFleet ?? generateAliyunFleet(seed, opts.aliyunCount ?? DEMO_ALIYUN_COUNT),
        credentials: [DEMO_CREDENTIALS.aliyun],
    });
    let huawei: HuaweiEmulator;
    try {
        huawei = await startHuaweiEmulator({
            tls: opts.tls,
            ...opts.huawei,
            fleet: opts.huaweiFleet ?? generateHuaweiFleet(seed, opts.huaweiCount ?? DEMO_HUAWEI_COUNT),
            akSk: [DEMO_CREDENTIALS.huawei],
        });
    } catch (e) {
        await aliyun.close();
        throw e;
    }
    const env: Record<string, string> = {
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_CREDENTIALS.aliyun.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_CREDENTIALS.aliyun.accessKeySecret,
        CLOUDPHONE_ALIYUN_ENDPOINT: aliyun.url,
        HW_ACCESS_KEY: DEMO_CREDENTIALS.huawei.accessKey,
        HW_SECRET_KEY: DEMO_CREDENTIALS.huawei.secretKey,
        CLOUDPHONE_HUAWEI_ENDPOINT: huawei.url,
        CLOUDPHONE_HUAWEI_IAM_ENDPOINT: huawei.url,
        CLOUDPHONE_RETRY_PROFILE: "fast",
        ...(opts.tls ? { NODE_EXTRA_CA_CERTS: EMULATOR_CA_PATH } : {}),
    };
    let closed: Promise<void> | undefined;
    return {
        aliyun,
        huawei,
        env: Object.freeze(env),
        close: () => (closed ??= Promise.all([aliyun.close(), huawei.close()]).then(() => undefined)),
    };
}
