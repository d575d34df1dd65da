/** Both emulators with the leak guard's distinctive test credentials, and the environment pointing at them. */
import { startAliyunEmulator, startHuaweiEmulator, type AliyunEmulator, type HuaweiEmulator } from "../../provider/emulators";
import { TEST_SECRETS } from "../helpers/leak-guard";

export interface Emulators {
    readonly aliyun: AliyunEmulator;
    readonly huawei: HuaweiEmulator;
    /** Environment with the test credentials and both endpoints. */
    readonly env: Record<string, string>;
    close(): Promise<void>;
}

export interface TestEmulatorOptions {
    /** Both over HTTPS with the test certificate (a client process then needs NODE_EXTRA_CA_CERTS=EMULATOR_CA_PATH). */
    readonly tls?: boolean;
}

export async function startTestEmulators(aliyunFleet: readonly Record<string, unknown>[], huaweiFleet: readonly Record<string, unknown>[], opts: TestEmulatorOptions = {}): Promise<Emulators> {
    const aliyun = await startAliyunEmulator({ tls: opts.tls, fleet: aliyunFleet, credentials: [{ accessKeyId: TEST_SECRETS.aliyunAccessKeyId, accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret }] });
    const huawei = await startHuaweiEmulator({ tls: opts.tls, fleet: huaweiFleet, akSk: [{ accessKey: TEST_SECRETS.huaweiAccessKey, secretKey: TEST_SECRETS.huaweiSecretKey }] });
    return {
        aliyun,
        huawei,
        env: {
            ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_SECRETS.aliyunAccessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_SECRETS.aliyunAccessKeySecret,
            CLOUDPHONE_ALIYUN_ENDPOINT: aliyun.url,
            HW_ACCESS_KEY: TEST_SECRETS.huaweiAccessKey,
            HW_SECRET_KEY: TEST_SECRETS.huaweiSecretKey,
            CLOUDPHONE_HUAWEI_ENDPOINT: huawei.url,
        },
        close: async () => {
            await Promise.all([aliyun.close(), huawei.close()]);
        },
    };
}


/** In a describe(): both emulators started before its tests and closed after them. */
export function useTestEmulators(aliyunFleet: readonly Record<string, unknown>[], huaweiFleet: readonly Record<string, unknown>[], opts: TestEmulatorOptions = {}): () => Emulators {
    let emu: Emulators | undefined;
    before(async () => {
        emu = await startTestEmulators(aliyunFleet, huaweiFleet, opts);
    });
    after(async () => {
        await emu?.close();
    });
    return () => {
        if (!emu) throw new Error("useTestEmulators: the emulators are not started (outside a test?)");
        return emu;
    };
}
