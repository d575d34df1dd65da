/**
 * The secret-leak guard guards (named zz- so it runs after every other suite, whose recorded output it counts).
 * (a) Canary: a child mocha run with the guard on a tiny spec that leaks fake secrets four ways (stdout, stderr, a
 *     recorded output, an unregistered marker-carrying secret) must fail with "SECRET LEAK CHECK FAILED (4)"; the
 *     same run without leaks must pass. So a green run really means "scanned and clean".
 * (b) Not vacuous: this process's guard is the one mocha runs, it knows every suite's secrets, and it has recorded
 *     a meaningful amount of output.
 * Paths are found from __dirname, so this works as test/zz-leak-check.test.ts (ts-node) and as
 * dist/test/zz-leak-check.test.js (compiled).
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allTestSecrets, capturedLength, guardActive, guardProblems, recordedCount, TEST_SECRETS } from "./helpers/leak-guard";

/** Recorded texts a full run of the suites produces at least (the fault matrix and bad-input suites alone record hundreds). */
const MIN_RECORDED = 100;

const compiled = __filename.endsWith(".js");
const guardPath = path.join(__dirname, "helpers", compiled ? "leak-guard.js" : "leak-guard.ts");
const huaweiHelperPath = path.join(__dirname, "helpers", compiled ? "huawei.js" : "huawei.ts");

/** The directory holding node_modules/mocha, found upwards from here (repo root from test/ or dist/test/). */
function projectRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "node_modules", "mocha", "bin", "mocha.js"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`node_modules/mocha not found above ${__dirname}`);
    }
}

interface ChildRun {
    readonly code: number | null;
    readonly output: string;
}

/** Run mocha on one spec in a child process, with only the guard as a root-hook module. */
function runChildMocha(specPath: string): Promise<ChildRun> {
    const root = projectRoot();
    const args = [path.join(root, "node_modules", "mocha", "bin", "mocha.js"), "--no-config", "--reporter", "spec", "--timeout", "10000"];
    if (!compiled) args.push("--require", "ts-node/register/transpile-only");
    args.push("--require", guardPath, specPath);
    return new Promise((resolve, reject) => {
        // The child's output holds the canary's secrets by design: it stays in memory, never in this process's
        // stdout or recorded output (which would fail this run's own scan).
        const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
    });
}

const LEAKY_SPEC = (guard: string, huaweiHelper: string) => `
const { TEST_SECRETS, recordOutput, addTestSecret } = require(${JSON.stringify(guard)});
const { HW_SECRETS } = require(${JSON.stringify(huaweiHelper)});
describe("canary", () => {
    it("prints a guard secret on stdout", () => { console.log("token: " + TEST_SECRETS.huaweiAuthToken); });
    it("records a suite-added secret without printing it", () => {
        addTestSecret("canary-added-secret-0042");
        recordOutput("canary record", "answer with canary-added-secret-0042 inside");
    });
    it("writes a helper's secret on stderr", () => { process.stderr.write("pw " + HW_SECRETS.password + "\\n"); });
    it("prints an unregistered secret carrying the marker", () => { console.log("key LOCALsecret-never-leak-1234"); });
});
`;

const CLEAN_SPEC = (guard: string) => `
const { recordOutput } = require(${JSON.stringify(guard)});
describe("canary", () => {
    it("prints and records harmless text", () => {
        console.log("nothing secret here: LTAI5t-style ids are identifiers");
        recordOutput("canary record", { code: "AUTH_FAILED", message: "check the access key id, secret and security token" });
    });
});
`;

describe("zz secret-leak guard", function () {
    this.timeout(30_000);

    it("canary: a child run that leaks fake secrets (stdout, stderr, recorded, marker) fails with SECRET LEAK CHECK FAILED; a clean one passes", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-leak-canary-"));
        try {
            const leaky = path.join(dir, "leaky.spec.js");
            const clean = path.join(dir, "clean.spec.js");
            fs.writeFileSync(leaky, LEAKY_SPEC(guardPath, huaweiHelperPath));
            fs.writeFileSync(clean, CLEAN_SPEC(guardPath));
            const [bad, good] = await Promise.all([runChildMocha(leaky), runChildMocha(clean)]);

            // The leaky run: non-zero, every one of the four leaks named (the report shows 6-character prefixes).
            assert.notEqual(bad.code, 0, "the leaky canary run must fail");
            assert.ok(bad.output.includes("4 passing"), "the canary's own tests ran (the failure is the guard's)");
            assert.ok(bad.output.includes("SECRET LEAK CHECK FAILED (4)"), "the guard reports four hits");
            assert.ok(bad.output.includes(`test process stdout/stderr: contains secret ${TEST_SECRETS.huaweiAuthToken.slice(0, 6)}…`));
            assert.ok(bad.output.includes("canary record: contains secret canary…"));
            assert.ok(bad.output.includes("test process stdout/stderr: contains secret Pw-Zeb…"), "a helper's secret (test/helpers/huawei.ts) is known to the guard");
            assert.ok(bad.output.includes("test process stdout/stderr: contains secret t-neve…"), "the marker catches a secret nobody registered");

            // The clean run: passes, no report.
            assert.equal(good.code, 0, "the clean canary run must pass");
            assert.ok(good.output.includes("1 passing"));
            assert.ok(!good.output.includes("SECRET LEAK CHECK FAILED"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the scan is not vacuous: this guard is mocha's, knows every suite's secrets, and has recorded output", function () {
        // Run on its own (no other suite loaded) there is nothing to count: that is no finding either way.
        const root = this.test?.parent?.parent;
        const others = (root?.suites ?? []).filter((s) => s !== this.test?.parent);
        if (others.length === 0) this.skip();
        assert.ok(guardActive(), "mocha must load the guard as a root-hook module (--require …/helpers/leak-guard), the same instance the suites import");
        assert.deepEqual(guardProblems(), [], "every suite's secret table loads");
        const secrets = allTestSecrets();
        // The guard's own table (minus the two access key ids) plus the helpers' secrets and their encoded forms.
        assert.ok(secrets.length >= Object.keys(TEST_SECRETS).length - 2 + 9, `only ${secrets.length} secrets known`);
        assert.ok(recordedCount() > MIN_RECORDED, `only ${recordedCount()} texts recorded (run the whole suite: the fault matrix and bad-input suites record hundreds)`);
        assert.ok(capturedLength() > 10_000, `only ${capturedLength()} characters of stdout/stderr captured`);
    });
});
