/** Shared by the CLI and drift tests: run the CLI in-process, find the repo, make temp dirs. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, type CliIO } from "../../provider/cli/main";

export interface CliRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, extra: Partial<CliIO> = {}): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        env,
        isTTY: false,
        ...extra,
    });
    return { code, stdout, stderr };
}

/** The repository root, found from this file whether it runs from test/ (ts-node) or dist/test/ (compiled). */
export function repoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "pulumi-resource-cloudphone") return dir;
        if (path.dirname(dir) === dir) throw new Error("repository root not found");
    }
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `cloudphone-${prefix}-`));
}

/** Every key the lookup reads credentials or endpoints from, so a test environment starts clean. */
export const CREDENTIAL_ENV_KEYS = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN", "CLOUDPHONE_ALIYUN_ENDPOINT", "CLOUDPHONE_ALIYUN_REGION", "ALICLOUD_REGION",
    "HW_AUTH_TOKEN", "HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME", "HW_PROJECT_NAME", "HW_PROJECT_ID", "HW_REGION_NAME",
    "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN", "CLOUDPHONE_HUAWEI_ENDPOINT", "CLOUDPHONE_HUAWEI_IAM_ENDPOINT",
    "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "GITHUB_ACTIONS",
];

let emptyHome: string | undefined;

/** process.env without any credential, endpoint or CI variable, plus `extra`. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of CREDENTIAL_ENV_KEYS) delete env[k];
    // Keep the credential chain away from the developer's ~/.alibabacloud files.
    env.HOME = (emptyHome ??= tempDir("home"));
    return { ...env, CLOUDPHONE_RETRY_PROFILE: "fast", ...extra };
}
