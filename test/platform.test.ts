/**
 * Which Node.js this pass runs on. `.ci/run` runs the suite twice, on the machine's Node.js and on Node.js 24 LTS
 * first on PATH (CLOUDPHONE_EXPECT_NODE=24): then this process, and the `node` the engine finds on PATH for the
 * plugin, the language hosts' programs and the dynamic-provider host, must both be that Node.js.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./cli/helpers";

describe("platform", () => {
    it("package.json's engines admit this Node.js", () => {
        const engines = (JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
        assert.equal(engines, "^20.19.0 || ^22.12.0 || >=24");
        const [major, minor] = process.versions.node.split(".").map(Number);
        assert.ok((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24, process.version);
    });

    const expected = process.env.CLOUDPHONE_EXPECT_NODE;
    (expected ? it : it.skip)(`runs on Node.js ${expected ?? "(pending: set in .ci/run's Node 24 pass)"}, and so does the \`node\` on PATH`, () => {
        assert.equal(process.versions.node.split(".")[0], expected);
        assert.equal(execFileSync("node", ["-p", "process.version"], { encoding: "utf8" }).trim(), process.version);
    });
});
