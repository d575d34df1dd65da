/**
 * The set-up every official-SDK peer test shares: skip (pending, with the install command in the title) when the
 * official SDKs are not installed, else an Alibaba emulator holding the peers' test credentials, closed afterwards.
 */
import { installedFolder } from "../../bench/installed";
import { startAliyunEmulator, type AliyunEmulator, type AliyunEmulatorOptions } from "../../provider/emulators/aliyun";
import { TEST_SECRETS } from "../helpers/leak-guard";

export const PEERS_INSTALL = "npm run peers:install";

export interface OfficialPeers {
    /** The installed peers' folder. */
    readonly peers: string;
    readonly emu: AliyunEmulator;
}

/** Call inside a describe: its before/after hooks set up and close the emulator; the fields are read in tests. */
export function useOfficialAliyun(options: Omit<AliyunEmulatorOptions, "credentials">): OfficialPeers {
    const state: { peers?: string; emu?: AliyunEmulator } = {};
    before(async function () {
        const dir = installedFolder("install-peers.sh");
        if (!dir) {
            this.test!.parent!.title += ` (pending: the official SDKs are not installed; install them with \`${PEERS_INSTALL}\`)`;
            this.skip();
        }
        state.peers = dir;
        state.emu = await startAliyunEmulator({ ...options, credentials: [{ accessKeyId: TEST_SECRETS.aliyunAccessKeyId, accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret }] });
    });
    after(async () => {
        await state.emu?.close();
    });
    return {
        get peers() {
            return state.peers as string;
        },
        get emu() {
            return state.emu as AliyunEmulator;
        },
    };
}
