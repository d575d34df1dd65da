import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { startDemoEmulators, generateAliyunFleet, generateHuaweiFleet, type DemoEmulators } from "../../provider/emulators";
import { formatTable, escapeData, escapeProperty } from "../../provider/cli/format";
import { lookupArgsFromFlags, flagifyMessage } from "../../provider/cli/flags";
import { ProgressLine } from "../../provider/cli/progress";
import { cleanEnv, runCli, tempDir } from "./helpers";

const SEED = 31;
const ALIYUN = generateAliyunFleet(SEED, 12);
const HUAWEI = generateHuaweiFleet(SEED, 8);

/** What the unified lookup must list: cloud then id, string order. */
const EXPECTED_IDS = [
    ...ALIYUN.map((r) => String(r.AndroidInstanceId)).sort(),
    ...HUAWEI.map((r) => String(r.instance_id)).sort(),
];

describe("cloudphone CLI (in-process)", () => {
    let emu: DemoEmulators;
    let env: NodeJS.ProcessEnv;

    before(async () => {
        emu = await startDemoEmulators({ aliyunFleet: ALIYUN, huaweiFleet: HUAWEI });
        env = cleanEnv(emu.env);
    });
    after(() => emu.close());
    beforeEach(() => {
        emu.aliyun.resetCounters();
        emu.huawei.resetCounters();
        emu.aliyun.setFaults({});
        emu.huawei.setFaults({});
    });

    describe("instances", () => {
        it("prints every phone of both clouds as a table, sorted by cloud then id, nothing on stderr", async () => {
            const r = await runCli(["instances"], env);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.stderr, "");
            const lines = r.stdout.trimEnd().split("\n");
            assert.match(lines[0], /^CLOUD\s+ID\s+NAME\s+STATUS\s+CLOUD STATUS\s+REGION\s+GROUP\s+PRIVATE IP\s+TAGS$/);
            assert.deepEqual(lines.slice(1, -1).map((l) => l.split(/\s+/)[1]), EXPECTED_IDS);
            assert.equal(lines[lines.length - 1], "20 instances (aliyun, huawei)");
            const first = ALIYUN.find((x) => x.AndroidInstanceId === EXPECTED_IDS[0])!;
            const row = lines[1].split(/\s{2,}/);
            assert.deepEqual(row.slice(0, 3), ["aliyun", first.AndroidInstanceId, first.AndroidInstanceName]);
            assert.equal(row[4], first.AndroidInstanceStatus);
            assert.equal(row[7], first.NetworkInterfaceIp);
            const tags = (first.Tags as { Key: string; Value: string }[]).map((t) => `${t.Key}=${t.Value}`).sort().join(",");
            assert.equal(row[8], tags || "-");
        });

        it("--json prints the unified result", async () => {
            const r = await runCli(["instances", "--json"], env);
            assert.equal(r.code, 0, r.stderr);
            const j = JSON.parse(r.stdout);
            assert.deepEqual(j.ids, EXPECTED_IDS);
            assert.equal(j.totalCount, 20);
            assert.deepEqual(j.clouds, ["aliyun", "huawei"]);
            const hw = HUAWEI[0];
            const rec = j.instances.find((i: { id: string }) => i.id === hw.instance_id);
            assert.equal(rec.cloud, "huawei");
            assert.equal(rec.name, hw.instance_name);
            assert.equal(rec.rawStatus, String(hw.running_status));
            assert.deepEqual(rec.tags, {});
        });

        it("applies --cloud, --status, --tag, --id, --name-regex and --group", async () => {
            const running = ALIYUN.filter((x) => x.AndroidInstanceStatus === "RUNNING").map((x) => String(x.AndroidInstanceId)).sort();
            assert.ok(running.length > 0);
            let r = await runCli(["instances", "--cloud", "aliyun", "--status", "running", "--json"], env);
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(JSON.parse(r.stdout).ids, running);
            assert.equal(emu.huawei.counters().pages, 0, "--cloud aliyun must not ask Huawei");

            const tagged = ALIYUN.find((x) => (x.Tags as unknown[] | undefined)?.length)!;
            const [tag] = tagged.Tags as { Key: string; Value: string }[];
            const withTag = ALIYUN.filter((x) => (x.Tags as { Key: string; Value: string }[] | undefined)?.some((t) => t.Key === tag.Key && t.Value === tag.Value))
                .map((x) => String(x.AndroidInstanceId)).sort();
            r = await runCli(["instances", "--tag", `${tag.Key}=${tag.Value}`, "--json"], env);
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(JSON.parse(r.stdout).ids, withTag);

            const two = [EXPECTED_IDS[3], EXPECTED_IDS[15]];
            r = await runCli(["instances", "--id", two[0], "--id", two[1], "--json"], env);
            assert.deepEqual(JSON.parse(r.stdout).ids, two);

            const hwName = String(HUAWEI[2].instance_name);
            r = await runCli(["instances", "--cloud", "huawei", "--name-regex", `^${hwName}$`, "--json"], env);
            assert.deepEqual(JSON.parse(r.stdout).names, [hwName]);

            const group = String(ALIYUN[0].AndroidInstanceGroupId);
            const inGroup = ALIYUN.filter((x) => x.AndroidInstanceGroupId === group).map((x) => String(x.AndroidInstanceId)).sort();
            r = await runCli(["instances", "--group", group, "--json"], env);
            assert.deepEqual(JSON.parse(r.stdout).ids, inGroup);
        });

        it("--cloud all asks both clouds", async () => {
            const r = await runCli(["instances", "--cloud", "all", "--json"], env);
            assert.deepEqual(JSON.parse(r.stdout).clouds, ["aliyun", "huawei"]);
        });
    });

    describe("usage errors exit 2 before any request", () => {
        const cases: [string, string[], RegExp][] = [
            ["unknown option", ["instances", "--bogus"], /unknown option '--bogus'/],
            ["unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
            ["no command", [], /Usage: cloudphone/],
            ["bad --cloud", ["instances", "--cloud", "gcp"], /expected aliyun, huawei or all/],
            ["bad --tag", ["instances", "--tag", "novalue"], /--tag "novalue": expected KEY=VALUE/],
            ["conflicting --tag", ["instances", "--tag", "a=1", "--tag", "a=2"], /--tag a: given twice/],
            ["bad --status", ["instances", "--status", "sleeping"], /\[INVALID_ARGUMENT\] --status: must be one of .*; got "sleeping"/],
            ["bad --name-regex", ["instances", "--name-regex", "(unclosed"], /--name-regex: is not a valid RE2 regular expression: missing closing \): `\(unclosed`/],
            ["drift without --baseline", ["drift"], /required option '--baseline <file>' not specified/],
            ["--json with --github", ["drift", "--baseline", "x.json", "--json", "--github"], /cannot be combined/],
            ["excess argument", ["instances", "extra"], /too many arguments/],
        ];
        for (const [what, argv, message] of cases) {
            it(what, async () => {
                const r = await runCli(argv, env);
                assert.equal(r.code, 2);
                assert.match(r.stderr, message);
                assert.equal(r.stdout, "");
                assert.equal(emu.aliyun.counters().total + emu.huawei.counters().total, 0);
            });
        }

        it("--help exits 0 and lists the commands and exit codes", async () => {
            const r = await runCli(["--help"], env);
            assert.equal(r.code, 0);
            for (const c of ["instances", "snapshot", "drift", "emulator", "demo"]) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
            assert.match(r.stdout, /Exit codes: 0 success \/ no drift, 1 drift, 2 could not run/);
        });
    });

    describe("failures exit 2 with one redacted line", () => {
        it("no credentials at all → AUTH_MISSING", async () => {
            const r = await runCli(["instances"], cleanEnv());
            assert.equal(r.code, 2);
            assert.match(r.stderr, /^cloudphone: error: \[AUTH_MISSING\] no cloud has credentials/);
            assert.equal(r.stderr.trimEnd().split("\n").length, 1);
        });

        it("--cloud huawei without Huawei credentials → AUTH_MISSING naming the variables", async () => {
            const r = await runCli(["instances", "--cloud", "huawei"], cleanEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "x", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "y" }));
            assert.equal(r.code, 2);
            assert.match(r.stderr, /\[AUTH_MISSING\] huawei: .*HW_ACCESS_KEY/);
        });

        it("a wrong secret → AUTH_FAILED, and the secret appears nowhere", async () => {
            const secret = "Wr0ngSecret-cli-test-7f3a9c1e5b";
            const r = await runCli(["instances", "--cloud", "aliyun"], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret });
            assert.equal(r.code, 2);
            assert.match(r.stderr, /^cloudphone: error: \[AUTH_FAILED\] aliyun /);
            assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
            assert.equal(emu.aliyun.counters().total, 1, "authentication failures are not retried");
        });

        it("an unreachable endpoint → NETWORK after the fast profile's 4 attempts", async () => {
            const closed = await startDemoEmulators({ aliyunCount: 1, huaweiCount: 1 });
            const url = closed.aliyun.url;
            await closed.close();
            const r = await runCli(["instances", "--cloud", "aliyun"], { ...env, CLOUDPHONE_ALIYUN_ENDPOINT: url });
            assert.equal(r.code, 2);
            assert.match(r.stderr, /^cloudphone: error: \[(NETWORK|TIMEOUT)\] aliyun.*4 attempts\)$/m);
        });

        it("a malformed response on every attempt → BAD_RESPONSE, exit 2", async () => {
            emu.huawei.setFaults({ malformedFirst: 100 });
            const r = await runCli(["instances", "--cloud", "huawei"], env);
            assert.equal(r.code, 2);
            assert.match(r.stderr, /^cloudphone: error: \[BAD_RESPONSE\] huawei/);
        });

        it("transient throttling is retried and the listing still completes", async () => {
            emu.aliyun.setFaults({ throttleFirst: 2 });
            const r = await runCli(["instances", "--cloud", "aliyun", "--json", "-v"], env);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(JSON.parse(r.stdout).totalCount, 12);
            assert.equal(emu.aliyun.counters().total, 3);
            assert.match(r.stderr, /Throttling/);
        });
    });

    describe("snapshot", () => {
        it("records the lookup (with the clouds queried) and every phone, without times", async () => {
            const r = await runCli(["snapshot", "--status", "running"], env);
            assert.equal(r.code, 0, r.stderr);
            const b = JSON.parse(r.stdout);
            assert.equal(b.version, 1);
            assert.ok(!Number.isNaN(Date.parse(b.recordedAt)));
            assert.deepEqual(b.lookup, { statuses: ["running"], clouds: ["aliyun", "huawei"] });
            const runningIds = [
                ...ALIYUN.filter((x) => x.AndroidInstanceStatus === "RUNNING").map((x) => String(x.AndroidInstanceId)).sort(),
                ...HUAWEI.filter((x) => x.running_status === 2 && x.frozen_status === 0).map((x) => String(x.instance_id)).sort(),
            ];
            assert.deepEqual(b.instances.map((i: { id: string }) => i.id), runningIds);
            for (const i of b.instances) assert.deepEqual(Object.keys(i).filter((k) => /created|time/i.test(k)), []);
        });
    });

    describe("emulator", () => {
        it("prints export lines pointing at both emulators and stops on abort", async () => {
            const controller = new AbortController();
            let seen: Readonly<Record<string, string>> | undefined;
            const running = runCli(["emulator", "--aliyun-count", "3", "--huawei-count", "2"], cleanEnv(), {
                signal: controller.signal,
                onEmulatorReady: (e) => {
                    seen = e;
                    setImmediate(() => controller.abort());
                },
            });
            const r = await running;
            assert.equal(r.code, 0, r.stderr);
            assert.ok(seen);
            for (const [k, v] of Object.entries(seen)) assert.ok(r.stdout.includes(`export ${k}=${v}\n`), `${k} missing`);
            assert.match(r.stdout, /\(3 phones\), Huawei http:\/\/127\.0\.0\.1:\d+ \(2 phones\)/);
            // the emulators are closed once the command returns
            await assert.rejects(fetch(`${seen.CLOUDPHONE_ALIYUN_ENDPOINT}/`), /fetch failed/);
        });
    });

    describe("demo", () => {
        it("lists the built-in demo fleet of both clouds and stops the emulators", async () => {
            const r = await runCli(["demo", "--aliyun-count", "130", "--huawei-count", "105"], cleanEnv());
            assert.equal(r.code, 0, r.stderr);
            const lines = r.stdout.trimEnd().split("\n");
            assert.equal(lines[lines.length - 1], "235 instances (aliyun, huawei)");
            assert.equal(lines.length, 237);
            assert.match(r.stderr, /235 phones in \d+ ms; Alibaba 2 page requests, Huawei 2 page requests/);
        });
    });
});

describe("cloudphone CLI pieces", () => {
    it("lookupArgsFromFlags keeps only the given flags", () => {
        assert.deepEqual(lookupArgsFromFlags({ tag: [], status: [], group: [], id: [] }), {});
        assert.deepEqual(lookupArgsFromFlags({ cloud: "all", tag: ["env=prod", "team=a=b"], status: ["RUNNING"], group: ["g"], id: ["i"], nameRegex: "^x" }), {
            clouds: ["aliyun", "huawei"], ids: ["i"], nameRegex: "^x", statuses: ["RUNNING"], groups: ["g"], tags: { env: "prod", team: "a=b" },
        });
    });

    it("flagifyMessage names the flags a user typed", () => {
        assert.equal(flagifyMessage("[INVALID_ARGUMENT] statuses[1]: bad; tags.env: worse"), "[INVALID_ARGUMENT] --status: bad; --tag: worse");
    });

    it("formatTable aligns columns and escapes control characters", () => {
        const t = formatTable([
            { cloud: "aliyun", id: "acp-1", name: "a\u001bb", status: "running", rawStatus: "RUNNING", tags: { b: "2", a: "1" }, region: "cn-shanghai", group: "ag-1", privateIp: "10.0.0.1" },
            { cloud: "huawei", id: "X", name: "phone", status: "stopped", rawStatus: "1", tags: {} },
        ], ["aliyun", "huawei"]);
        assert.equal(t, [
            "CLOUD   ID     NAME    STATUS   CLOUD STATUS  REGION       GROUP  PRIVATE IP  TAGS",
            "aliyun  acp-1  a\\x1bb  running  RUNNING       cn-shanghai  ag-1   10.0.0.1    a=1,b=2",
            "huawei  X      phone   stopped  1             -            -      -           -",
            "2 instances (aliyun, huawei)",
            "",
        ].join("\n"));
    });

    it("workflow-command escaping", () => {
        assert.equal(escapeData("100%\r\nx"), "100%25%0D%0Ax");
        assert.equal(escapeProperty("a:b,c"), "a%3Ab%2Cc");
    });

    it("the progress line waits, redraws at most every 100 ms, and erases itself", () => {
        let now = 0;
        const writes: string[] = [];
        const p = new ProgressLine((s) => writes.push(s), 750, () => now);
        p.update("aliyun", 100, 5000);
        assert.deepEqual(writes, []);
        now = 800;
        p.update("aliyun", 200, 5000);
        now = 850;
        p.update("huawei", 100, 900);
        now = 1000;
        p.update("huawei", 200, 900);
        p.clear();
        assert.deepEqual(writes, ["\r\x1b[Kfetching… aliyun 200/5000", "\r\x1b[Kfetching… aliyun 200/5000, huawei 200/900", "\r\x1b[K"]);
    });

    it("a terminal shows no progress for a short listing", async () => {
        const emu = await startDemoEmulators({ aliyunCount: 2, huaweiCount: 2 });
        try {
            const r = await runCli(["instances"], cleanEnv(emu.env), { isTTY: true });
            assert.equal(r.code, 0);
            assert.equal(r.stderr, "");
        } finally {
            await emu.close();
        }
    });

    it("drift reads --baseline relative to the working directory", async () => {
        const dir = tempDir("cwd");
        fs.writeFileSync(path.join(dir, "b.json"), "{}");
        const r = await runCli(["drift", "--baseline", "b.json"], cleanEnv(), { cwd: dir });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /b\.json: unsupported version undefined/);
    });
});
