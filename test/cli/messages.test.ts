/**
 * Issue 17 item 8 (the CLI's part): each surface names what it reads. The CLI reads environment variables and flags,
 * never Pulumi configuration, so its messages name the variable (or flag) to set: no `cloudphone:*` key, no
 * configuration key name, no internal settings path (`huawei.endpoint`). Pulumi's own wording is left as it is.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CONFIG_KEY_NAMES } from "../../provider/lookup/settings";
import { envifyMessage } from "../../provider/cli/messages";
import { cleanEnv, runCli } from "./helpers";

const ENV_ONLY = "cloudphone reads credentials from environment variables (docs/configuration.md), not from Pulumi configuration.";

/** What a CLI message must never contain: a Pulumi config key (with or without its `cloudphone:` prefix) or a settings path. */
function assertNamesOnlyWhatTheCliReads(text: string): void {
    assert.doesNotMatch(text, /cloudphone:[a-z]/, "a Pulumi configuration key");
    for (const key of CONFIG_KEY_NAMES) assert.ok(!new RegExp(`\\b${key}\\b`).test(text), `names the configuration key ${key}: ${text}`);
    assert.doesNotMatch(text, /\b(aliyun|huawei)\.(endpoint|region|timeZone|concurrency|iamEndpoint|tokenScope)\b/, "an internal settings path");
}

describe("cloudphone CLI messages name environment variables and flags", () => {
    const cases: { readonly name: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly line: string | RegExp }[] = [
        {
            name: "no credentials at all",
            args: ["instances"],
            env: {},
            line: "[AUTH_MISSING] no cloud has credentials. Alibaba Cloud: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET. "
                + `Huawei Cloud: set HW_AUTH_TOKEN, or HW_ACCESS_KEY/HW_SECRET_KEY, or HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME. ${ENV_ONLY}`,
        },
        {
            name: "--cloud huawei without Huawei credentials",
            args: ["instances", "--cloud", "huawei"],
            env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y-never-leak" },
            line: `[AUTH_MISSING] huawei: Huawei Cloud: set HW_AUTH_TOKEN, or HW_ACCESS_KEY/HW_SECRET_KEY, or HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME. ${ENV_ONLY}`,
        },
        {
            name: "an Alibaba key id without its secret",
            args: ["instances", "--cloud", "aliyun"],
            env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-cli-message-test" },
            line: `[AUTH_MISSING] aliyun: Alibaba Cloud credentials are incomplete: the access key secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET) is not set. ${ENV_ONLY}`,
        },
        {
            name: "no Alibaba credentials, and the default chain finds none",
            args: ["instances", "--cloud", "aliyun"],
            env: {},
            line: new RegExp(`^\\[AUTH_MISSING\\] aliyun: no Alibaba Cloud credentials: none configured, and the default credential chain found none \\(.*\\)\\. ${ENV_ONLY.replace(/[.()]/g, "\\$&")}$`),
        },
        {
            name: "IAM password login without the account name",
            args: ["instances", "--cloud", "huawei"],
            env: { HW_USER_NAME: "u", HW_USER_PASSWORD: "p-never-leak" },
            line: `[AUTH_MISSING] huawei: IAM password login needs HW_DOMAIN_NAME. ${ENV_ONLY}`,
        },
        {
            name: "a project-scoped IAM token without a project",
            args: ["instances", "--cloud", "huawei"],
            env: { HW_USER_NAME: "u", HW_USER_PASSWORD: "p-never-leak", HW_DOMAIN_NAME: "d" },
            line: `[AUTH_MISSING] huawei: a project-scoped IAM token needs HW_PROJECT_NAME, HW_PROJECT_ID or HW_REGION_NAME (or set CLOUDPHONE_HUAWEI_TOKEN_SCOPE=domain). ${ENV_ONLY}`,
        },
        {
            name: "a Huawei endpoint that is not https",
            args: ["instances"],
            env: { HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk-never-leak", CLOUDPHONE_HUAWEI_ENDPOINT: "ftp://x" },
            line: "[INVALID_ARGUMENT] CLOUDPHONE_HUAWEI_ENDPOINT: must be https://, or http:// to a loopback host; got ftp://x",
        },
        {
            name: "a Huawei concurrency out of range",
            args: ["instances"],
            env: { HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk-never-leak", CLOUDPHONE_HUAWEI_CONCURRENCY: "99" },
            line: /^\[INVALID_ARGUMENT\] CLOUDPHONE_HUAWEI_CONCURRENCY: must be an integer from 1 to \d+; got 99$/,
        },
        {
            name: "a Huawei time zone that is not an offset",
            args: ["instances"],
            env: { HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk-never-leak", CLOUDPHONE_HUAWEI_TIME_ZONE: "bad" },
            line: /^\[INVALID_ARGUMENT\] CLOUDPHONE_HUAWEI_TIME_ZONE: /,
        },
        {
            name: "an Alibaba endpoint region that is not a region id",
            args: ["instances"],
            env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y-never-leak", CLOUDPHONE_ALIYUN_REGION: "BAD" },
            line: '[INVALID_ARGUMENT] CLOUDPHONE_ALIYUN_REGION: "BAD" is not a region id such as cn-shanghai',
        },
        {
            name: "an Alibaba endpoint over plain HTTP to a remote host",
            args: ["instances"],
            env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y-never-leak", CLOUDPHONE_ALIYUN_ENDPOINT: "http://example.com" },
            line: "[INVALID_ARGUMENT] CLOUDPHONE_ALIYUN_ENDPOINT: must be https://, or http:// to a loopback host; got http://example.com",
        },
        {
            name: "an Alibaba time zone that is not an offset",
            args: ["instances"],
            env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y-never-leak", CLOUDPHONE_ALIYUN_TIME_ZONE: "bad" },
            line: /^\[INVALID_ARGUMENT\] CLOUDPHONE_ALIYUN_TIME_ZONE: /,
        },
        {
            name: "a bad lookup flag (named as the flag)",
            args: ["instances", "--status", "bogus"],
            env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y-never-leak" },
            line: /^\[INVALID_ARGUMENT\] --status: /,
        },
    ];
    for (const c of cases) {
        it(`${c.name} → exit 2, one line naming what to set`, async () => {
            const r = await runCli(c.args, cleanEnv(c.env));
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            const m = /^cloudphone: error: (.*)\n$/.exec(r.stderr);
            assert.ok(m, r.stderr);
            if (typeof c.line === "string") assert.equal(m[1], c.line);
            else assert.match(m[1], c.line);
            assertNamesOnlyWhatTheCliReads(m[1]);
        });
    }

    it("a redirect or an unknown host tells to check the endpoint variable: the API's, or Huawei's IAM one for the login", async () => {
        const redirecting = http.createServer((_req, res) => {
            res.writeHead(301, { location: "https://portal.example.com/console" });
            res.end();
        });
        await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", () => resolve()));
        const host = `127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
        try {
            const aliyun = await runCli(["instances", "--cloud", "aliyun"], cleanEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y-never-leak", CLOUDPHONE_ALIYUN_ENDPOINT: `http://${host}` }));
            assert.equal(aliyun.code, 2);
            assert.equal(aliyun.stderr, `cloudphone: error: [BAD_RESPONSE] aliyun: DescribeAndroidInstances page 1: HTTP 301, a redirect to host portal.example.com; redirects are not followed: check CLOUDPHONE_ALIYUN_ENDPOINT (${host} is not the API's endpoint)\n`);
            const iam = await runCli(["instances", "--cloud", "huawei"], cleanEnv({ HW_USER_NAME: "u", HW_USER_PASSWORD: "p-never-leak", HW_DOMAIN_NAME: "d", HW_PROJECT_ID: "p", CLOUDPHONE_HUAWEI_IAM_ENDPOINT: `http://${host}` }));
            assert.equal(iam.code, 2);
            assert.match(iam.stderr, new RegExp(`^cloudphone: error: \\[BAD_RESPONSE\\] huawei: IAM login .*: check CLOUDPHONE_HUAWEI_IAM_ENDPOINT \\(${host.replace(/\./g, "\\.")} is not the API's endpoint\\)\n$`));
            const api = await runCli(["instances", "--cloud", "huawei"], cleanEnv({ HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk-never-leak", CLOUDPHONE_HUAWEI_ENDPOINT: `http://${host}` }));
            assert.match(api.stderr, /: check CLOUDPHONE_HUAWEI_ENDPOINT \(/);
        } finally {
            await new Promise((resolve) => redirecting.close(resolve));
        }
    });

    it("envifyMessage leaves quoted user input alone and keeps variables a message names only in parentheses", () => {
        assert.equal(envifyMessage('[INVALID_ARGUMENT] --name-regex "huaweiRegion(": bad; aliyunRegion: "x"'), '[INVALID_ARGUMENT] --name-regex "huaweiRegion(": bad; CLOUDPHONE_ALIYUN_REGION: "x"');
        assert.equal(envifyMessage("the access key id (aliyunAccessKeyId / ALIBABA_CLOUD_ACCESS_KEY_ID) is not set"), "the access key id (ALIBABA_CLOUD_ACCESS_KEY_ID) is not set");
        assert.equal(envifyMessage("huaweiSecretKey is set but huaweiAccessKey (HW_ACCESS_KEY) is not"), "HW_SECRET_KEY is set but HW_ACCESS_KEY is not");
        assert.equal(envifyMessage("a detail (ALIBABA_CLOUD_ACCESS_KEY_ID) from a library"), "a detail (ALIBABA_CLOUD_ACCESS_KEY_ID) from a library");
    });
});
