/**
 * The reference docs (docs/) are what tools/docs renders from provider/plugin/schema.json, and what they say holds:
 * - docs/ is exactly the rendering (a stale page, a missing one or a leftover one fails; `npm run sdk:gen` fixes it);
 * - every function and resource has a page listing exactly its arguments and results, and every configuration key
 *   is documented with its environment variables, secret flag and default;
 * - every Python and Go name the docs give is the one sdk/python and sdk/go (Pulumi's generators) use;
 * - the examples compile: TypeScript type-checked against sdk/nodejs, Python compiled and bound to sdk/python
 *   (with the engine's Python), Go gofmt'd and vetted against sdk/go, YAML parsed and checked against the schema;
 * - a resource the schema gains gets its page (fixture), as InstanceSet will.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../../provider/lookup/settings";
import { examplesFor } from "../../tools/docs/examples";
import { propNames } from "../../tools/docs/names";
import { inputsOf, loadSchema, members, outputsOf, reachableTypes, typeDef, type Schema } from "../../tools/docs/schema";
import { DOCS_DIR, existingDocs, renderDocs, renderDocsFromRepo } from "../../tools/docs/site";
import { engineBin, engineVenv, INSTALL_COMMAND } from "../engine/engine";
import { repoRoot } from "../plugin/harness";
import { checkGo, checkPython, checkYamlProgram, exampleBlocks, hasCommand, typeCheck, type Block } from "./checks";

const yaml = require("js-yaml") as { load(text: string): unknown };

const root = repoRoot();
const docs = (): Map<string, string> => new Map(existingDocs(root).map((rel) => [rel, fs.readFileSync(path.join(root, DOCS_DIR, rel), "utf8")]));
const pkg = () => JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The rows of the Markdown table under `## heading` (up to the next heading): cells without backticks. */
function tableRows(page: string, heading: string): string[][] {
    const section = new RegExp(`\\n## ${esc(heading)}\\n([\\s\\S]*?)(?=\\n##? |$)`).exec(page)?.[1] ?? "";
    return section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---") && !/^\| (Name|Key|Value) /.test(l))
        .map((l) => l.slice(2, -2).split(/ (?<!\\)\| /).map((c) => c.replace(/`/g, "")));
}

describe("docs: reference pages rendered from the schema", function () {
    this.timeout(60_000);
    const schema = loadSchema(root);
    const all = members(schema);
    const blocksOf = (lang: string) => exampleBlocks(docs()).filter((b) => b.lang === lang);
    const exampleCount = all.reduce((n, m) => n + examplesFor(schema, all, m).length, 0);

    it("docs/ is exactly what tools/docs renders from schema.json (run npm run sdk:gen if not)", () => {
        const rendered = renderDocsFromRepo(root);
        assert.deepEqual(existingDocs(root), [...rendered.keys()].sort(), "docs/ holds other files than the renderer makes: run npm run sdk:gen");
        for (const [rel, text] of rendered) assert.ok(fs.readFileSync(path.join(root, DOCS_DIR, rel), "utf8") === text, `docs/${rel} is stale: run npm run sdk:gen`);
    });

    it("has a page per function and resource (the provider included) listing exactly its arguments and results", () => {
        const pages = docs();
        assert.deepEqual([...pages.keys()].filter((f) => f.startsWith("api/")).sort(), all.map((m) => m.file).sort());
        assert.deepEqual(all.map((m) => m.token).sort(), ["pulumi:providers:cloudphone", ...Object.keys(schema.functions ?? {}), ...Object.keys(schema.resources ?? {})].sort());
        assert.equal(all.filter((m) => m.kind === "function").length, 4);
        for (const m of all) {
            const page = pages.get(m.file) as string;
            const names = (heading: string) => tableRows(page, heading).map((r) => r.slice(0, 3));
            const expected = (t: ReturnType<typeof inputsOf>) => Object.keys(t.props).map((k) => Object.values(propNames(k, m.kind === "resource" ? m.name : undefined)));
            assert.deepEqual(names(m.kind === "function" ? "Arguments" : "Inputs"), expected(inputsOf(m)), `${m.file}: arguments`);
            assert.deepEqual(names(m.kind === "function" ? "Result" : "Outputs"), expected(outputsOf(m)), `${m.file}: results`);
            assert.ok(pages.get("README.md")?.includes(`](${m.file})`), `the index links ${m.file}`);
            for (const lang of ["TypeScript", "Python", "Go", "YAML"]) assert.ok(page.includes(`**${lang}**`), `${m.file}: ${lang}`);
        }
        const getInstances = pages.get("api/aliyun/getInstances.md") as string;
        assert.equal(tableRows(getInstances, "Arguments").length, 26);
        assert.deepEqual(tableRows(getInstances, "Result").map((r) => r[0]), ["instances", "ids", "names", "totalCount", "apiTotalCount"]);
        assert.deepEqual(tableRows(getInstances, "Result").map((r) => r[4]), ["required", "required", "required", "required", "required"]);
        // nested types: every object and enum reachable from aliyun.getInstances has its section
        for (const t of ["aliyun-instance", "aliyun-disk", "aliyun-tag", "aliyun-displayconfig", "aliyun-appmanagepolicy", "aliyun-phonedatainfo", "aliyun-status", "aliyun-salemode", "aliyun-chargetype", "aliyun-sorttype"]) {
            assert.ok(getInstances.includes(`<a id="type-${t}"></a>`), t);
        }
        assert.match(getInstances, /\| `vSwitchId` \| `v_switch_id` \| `VSwitchId` \| string \| optional \|/);
        assert.match(getInstances, /\| `"BACKUP_FAILED"` \| `cloudphone\.aliyun\.Status\.BACKUP_FAILED` \| `aliyun\.StatusBackupFailed` \| Backup failed \|/);
    });

    it("documents every configuration key: environment variables, secret flag, default, and its name in each SDK", () => {
        const page = docs().get("configuration.md") as string;
        const rows = page.split("\n").filter((l) => l.startsWith("| `cloudphone:")).map((l) => l.slice(2, -2).split(" | ").map((c) => c.replace(/`/g, "")));
        assert.equal(rows.length, CONFIG_KEYS.length);
        assert.deepEqual(rows.map((r) => r[0]), CONFIG_KEYS.map((k) => `cloudphone:${k.key}`));
        assert.deepEqual(rows.map((r) => r[1]), CONFIG_KEYS.map((k) => k.env.join(", ")));
        assert.deepEqual(rows.map((r) => r[2] === "secret"), CONFIG_KEYS.map((k) => k.secret));
        assert.deepEqual(rows.filter((r) => r[3]).map((r) => [r[0], r[3]]), [
            ["cloudphone:aliyunRegion", "cn-shanghai"], ["cloudphone:aliyunTimeZone", "+08:00"], ["cloudphone:huaweiTokenScope", "project"],
            ["cloudphone:huaweiEndpoint", "https://koophone.myhuaweicloud.com"], ["cloudphone:huaweiIamEndpoint", "https://iam.{huaweiRegion}.myhuaweicloud.com"],
            ["cloudphone:huaweiConcurrency", "8"], ["cloudphone:huaweiTimeZone", "+08:00"],
        ]);
        assert.ok(rows.every((r, i) => r[4] === CONFIG_KEYS[i].description));
        assert.equal(tableRows(docs().get("api/provider.md") as string, "Inputs").length, CONFIG_KEYS.length);
    });

    it("gives every property, enum member and configuration getter the name sdk/python and sdk/go use", () => {
        const read = (dir: string, ext: string) => (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith(ext)).sort().map((f) => fs.readFileSync(path.join(root, dir, f), "utf8")).join("\n");
        const py = read("sdk/python/pulumi_cloudphone", ".py");
        const go = read("sdk/go/cloudphone", ".go");
        const problems: string[] = [];
        let checked = 0;
        for (const [file, page] of docs()) {
            for (const line of page.split("\n")) {
                const prop = /^\| `([A-Za-z0-9_]+)` \| `([A-Za-z0-9_]+)` \| `([A-Za-z0-9_]+)` \| .* \| (required|optional) \|/.exec(line);
                const member = /^\| `("[^"]*")` \| `([\w.]+)\.(\w+)` \| `(\w+)\.(\w+)` \|/.exec(line);
                const getter = /^\| `(\w+)` \| `cloudphone\.config\.\w+` \| `cloudphone\.config\.(\w+)` \| `config\.(\w+)\(ctx\)` \|/.exec(line);
                if (prop) {
                    checked++;
                    const [, name, p, g] = prop;
                    const getterRe = new RegExp(`@pulumi\\.getter${p === name ? "" : `\\(name="${esc(name)}"\\)`}\\n\\s+def ${p}\\(self\\)|__args__\\['${esc(name)}'\\] = ${p}\\n`);
                    if (!getterRe.test(py)) problems.push(`${file}: Python ${p} for ${name}`);
                    if (!new RegExp(`\\n\\t${g} [^\\n]*\`pulumi:"${esc(name)}"\``).test(go)) problems.push(`${file}: Go ${g} for ${name}`);
                } else if (member) {
                    checked++;
                    const [, value, , pm, , gc] = member;
                    if (!py.includes(`\n    ${pm} = ${value}\n`)) problems.push(`${file}: Python ${pm} = ${value}`);
                    if (!new RegExp(`\\n\\t${gc} += \\w+\\(${esc(value)}\\)\\n`).test(go)) problems.push(`${file}: Go ${gc} = ${value}`);
                } else if (getter) {
                    checked++;
                    const [, key, p, g] = getter;
                    if (!new RegExp(`def ${p}\\(self\\)[^\\n]*\\n(?:[^\\n]*\\n){1,4}\\s+return __config__\\.get\\('${key}'\\)`).test(py)) problems.push(`${file}: Python config ${p}`);
                    if (!go.includes(`func ${g}(ctx *pulumi.Context) string {\n\treturn config.Get(ctx, "cloudphone:${key}")`)) problems.push(`${file}: Go config ${g}`);
                }
            }
        }
        assert.deepEqual(problems, []);
        // every property, enum value and configuration key of every page was found and checked
        const size = (token: string) => typeDef(schema, token).enum?.length ?? Object.keys(typeDef(schema, token).properties ?? {}).length;
        const expected = all.reduce((n, m) => {
            const ins = inputsOf(m);
            const outs = outputsOf(m);
            return n + Object.keys(ins.props).length + Object.keys(outs.props).length + reachableTypes(schema, ins, outs).reduce((k, t) => k + size(t), 0);
        }, CONFIG_KEYS.length);
        assert.equal(checked, expected);
    });

    it(`has ${exampleCount} examples, each in TypeScript, Python, Go and YAML`, () => {
        const blocks = exampleBlocks(docs());
        for (const lang of ["typescript", "python", "go", "yaml"]) assert.equal(blocks.filter((b) => b.lang === lang).length, exampleCount, lang);
    });

    it("TypeScript examples type-check against sdk/nodejs (strict)", () => {
        assert.deepEqual(typeCheck(root, blocksOf("typescript")), []);
    });

    it("Python examples compile (py_compile)", () => {
        assert.deepEqual(checkPython(root, blocksOf("python")), []);
    });

    const bin = engineBin();
    (bin ? it : it.skip)(`Python examples call sdk/python with arguments it takes and read results it has${bin ? "" : ` (pending: no engine Python; install it with \`${INSTALL_COMMAND}\`)`}`, function () {
        this.timeout(120_000);
        assert.deepEqual(checkPython(root, blocksOf("python"), path.join(engineVenv(bin as string), "bin/python")), []);
    });

    const go = hasCommand("go", ["version"]);
    (go ? it : it.skip)(`Go examples are as gofmt prints them and pass go vet against sdk/go${go ? "" : " (pending: no go on PATH)"}`, function () {
        this.timeout(600_000);
        assert.deepEqual(checkGo(root, blocksOf("go"), true), []);
    });

    it("YAML examples parse and fit the schema (tokens, arguments, values, providers, outputs)", () => {
        for (const b of blocksOf("yaml")) checkYamlProgram(schema, yaml.load(b.code), `${b.page} "${b.title}"`);
        assert.throws(() => checkYamlProgram(schema, yaml.load("name: x\nruntime: yaml\nvariables:\n  v:\n    fn::invoke:\n      function: cloudphone:index:getInstances\n      arguments:\n        nameRegexp: x\n"), "typo"), /nameRegexp is not an argument/);
    });

    describe("a resource the schema gains (fixture: InstanceSet and an aliyun Widget)", () => {
        const fixture: Schema = {
            ...schema,
            types: { ...schema.types, "cloudphone:aliyun:WidgetPart": { description: "A part.", type: "object", properties: { partName: { type: "string", description: "Its name." }, count: { type: "integer", description: "How many." } }, required: ["partName"] } },
            resources: {
                "cloudphone:index:InstanceSet": {
                    description: "A recorded set of phones.",
                    inputProperties: { tags: { type: "object", additionalProperties: { type: "string" }, description: "Tags." }, clouds: { type: "array", items: { $ref: "#/types/cloudphone:index:Cloud" }, description: "Clouds." }, acceptedAt: { type: "string", description: "Accept drift." } },
                    properties: { ids: { type: "array", items: { type: "string" }, description: "Ids." }, driftDetected: { type: "boolean", description: "Drift?" }, tags: { type: "object", additionalProperties: { type: "string" }, description: "Tags." } },
                    required: ["ids", "driftDetected"],
                },
                "cloudphone:aliyun:Widget": {
                    description: "A widget.",
                    inputProperties: {
                        name: { type: "string", description: "Name." }, size: { type: "integer", description: "Size. Default 3." }, mode: { $ref: "#/types/cloudphone:aliyun:ChargeType", description: "Mode." },
                        parts: { type: "array", items: { $ref: "#/types/cloudphone:aliyun:WidgetPart" }, description: "Parts." }, labels: { type: "object", additionalProperties: { type: "string" }, description: "Labels." },
                        vSwitchId: { type: "string", description: "VSwitch.", secret: true },
                    },
                    requiredInputs: ["name", "size", "mode", "parts", "labels"],
                    properties: { arn: { type: "string", description: "ARN." }, partCount: { type: "integer", description: "Count." } },
                    required: ["arn", "partCount"],
                },
            },
        };
        const pages = renderDocs(fixture, pkg());
        const blocks = exampleBlocks(new Map([...pages].filter(([f]) => f === "api/InstanceSet.md" || f === "api/aliyun/Widget.md")));

        it("has pages, index rows, inputs, outputs and supporting types", () => {
            assert.ok(pages.get("README.md")?.includes("| [InstanceSet](api/InstanceSet.md) | `cloudphone:index:InstanceSet` |"));
            assert.ok(pages.get("README.md")?.includes("| [aliyun.Widget](api/aliyun/Widget.md) | `cloudphone:aliyun:Widget` |"));
            const widget = pages.get("api/aliyun/Widget.md") as string;
            assert.deepEqual(tableRows(widget, "Inputs").map((r) => [r[0], r[1], r[2], r[4], r[5], r[6]]), [
                ["name", "name", "Name", "required", "", ""], ["size", "size", "Size", "required", "3", ""], ["mode", "mode", "Mode", "required", "", ""],
                ["parts", "parts", "Parts", "required", "", ""], ["labels", "labels", "Labels", "required", "", ""], ["vSwitchId", "v_switch_id", "VSwitchId", "optional", "", "secret"],
            ]);
            assert.deepEqual(tableRows(widget, "Outputs").map((r) => r.slice(0, 3)), [["arn", "arn", "Arn"], ["partCount", "part_count", "PartCount"]]);
            assert.ok(widget.includes('<a id="type-aliyun-widgetpart"></a>aliyun.WidgetPart') && widget.includes('<a id="type-aliyun-chargetype"></a>'));
            assert.ok(widget.includes("func NewWidget(ctx *pulumi.Context, name string, args *WidgetArgs, opts ...pulumi.ResourceOption) (*Widget, error)"));
            assert.ok(pages.get("api/InstanceSet.md")?.includes("### Record the production phones; drift shows on refresh"));
            assert.equal(blocks.length, 8);
        });

        it("renders their examples as valid TypeScript (syntax), Python (py_compile) and YAML that fits the schema", () => {
            assert.deepEqual(typeCheck(root, blocks.filter((b) => b.lang === "typescript"), false), []);
            assert.deepEqual(checkPython(root, blocks.filter((b) => b.lang === "python")), []);
            for (const b of blocks.filter((x) => x.lang === "yaml")) checkYamlProgram(fixture, yaml.load(b.code), b.title);
        });

        (go ? it : it.skip)(`renders their Go examples as gofmt prints them${go ? "" : " (pending: no go on PATH)"}`, () => {
            assert.deepEqual(checkGo(root, blocks.filter((b: Block) => b.lang === "go"), false), []);
            const widget = blocks.find((b) => b.page === "api/aliyun/Widget.md" && b.lang === "go")?.code ?? "";
            assert.match(widget, /Parts: aliyun\.WidgetPartArray\{\n\t+aliyun\.WidgetPartArgs\{\n\t+PartName: pulumi\.String\("example"\),/);
            assert.match(widget, /\n\t+Mode: +aliyun\.ChargeTypePostpaid,\n/);
        });
    });
});
