/**
 * The Python and Go SDKs are Pulumi's own codegen output for the schema the plugin serves now (npm run sdk:gen), and
 * the Go SDK compiles. The schema comes from the real CLI asking the real plugin (`pulumi package get-schema`).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../plugin/harness";
import { useEngine } from "./engine";

/** Files of a generated SDK folder that git would see (tracked or not ignored), relative path → text. */
function checkedIn(rel: string): Map<string, string> {
    const root = repoRoot();
    const list = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", rel], { cwd: root, encoding: "utf8" });
    const files = new Map<string, string>();
    for (const f of list.split("\n").filter(Boolean)) {
        const file = path.join(root, f);
        if (fs.existsSync(file)) files.set(path.relative(path.join(root, rel), file), fs.readFileSync(file, "utf8"));
    }
    return files;
}

function tree(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else files.set(path.relative(dir, p), fs.readFileSync(p, "utf8"));
        }
    };
    walk(dir);
    return files;
}

function assertSameTree(actual: Map<string, string>, expected: Map<string, string>, what: string): void {
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${what}: the files differ (run npm run sdk:gen)`);
    for (const [f, text] of expected) assert.equal(actual.get(f), text, `${what}/${f} is stale (run npm run sdk:gen)`);
}

describe("engine: the Python and Go SDKs are Pulumi's codegen of the plugin's schema", function () {
    this.timeout(300_000);
    const engine = useEngine();
    let schemaFile: string;

    before(async () => {
        const r = await engine().run(["package", "get-schema", "./pulumi-resource-cloudphone"], repoRoot(), engine().env());
        assert.equal(r.code, 0, r.text);
        const schema = JSON.parse(r.stdout) as { version: string; language: Record<string, Record<string, unknown>> };
        assert.equal(schema.version, (JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string }).version);
        assert.equal(schema.language.python.packageName, "pulumi_cloudphone");
        assert.match(String(schema.language.go.importBasePath), /\/sdk\/go\/cloudphone$/);
        schemaFile = path.join(engine().tmp, "schema.json");
        fs.writeFileSync(schemaFile, r.stdout);
    });

    const sdkgen = (language: string, out: string) =>
        execFileSync(path.join(engine().bin, "sdkgen"), ["--schema", schemaFile, "--language", language, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });

    it("sdk/python is up to date", () => {
        const out = path.join(engine().tmp, "python");
        sdkgen("python", out);
        fs.copyFileSync(path.join(out, "pulumi_cloudphone/README.md"), path.join(out, "README.md"));
        assertSameTree(tree(out), checkedIn("sdk/python"), "sdk/python");
    });

    it("sdk/go is up to date (go.mod pinned to the CLI's sdk/v3) and compiles", () => {
        const out = path.join(engine().tmp, "go");
        sdkgen("go", out);
        execFileSync("bash", [path.join(repoRoot(), "scripts/pin-go-sdk.sh"), out, path.join(repoRoot(), "sdk/go/go.sum")], { stdio: ["ignore", "ignore", "pipe"] });
        assertSameTree(tree(out), checkedIn("sdk/go"), "sdk/go");
        execFileSync("go", ["build", "./..."], { cwd: path.join(repoRoot(), "sdk/go"), stdio: ["ignore", "ignore", "pipe"] });
        execFileSync("go", ["vet", "./..."], { cwd: path.join(repoRoot(), "sdk/go"), stdio: ["ignore", "ignore", "pipe"] });
    });
});
