/**
 * The reference docs under docs/, rendered from provider/plugin/schema.json (with the environment variables of the
 * configuration keys from provider/lookup/settings.ts):
 *   docs/README.md            index: every page, every function, resource and type
 *   docs/installation.md      SDKs, plugin and engine, as they install today (nothing is published yet)
 *   docs/configuration.md     every configuration key: environment variables, secret, default, name per language
 *   docs/api/…                a page per function and resource (pages.ts), the provider included
 *
 *   node dist/tools/docs/site.js            (npm run sdk:gen) write docs/, removing pages no longer rendered
 *   node dist/tools/docs/site.js --check    exit 1 if docs/ differs
 * Output is deterministic (sorted tokens, no dates); test/docs/docs.test.ts fails when docs/ is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../../provider/lookup/settings";
import { goPackage, goTitle, moduleRef, pyName, pyPackage, tsPackage, typeUse } from "./names";
import { GENERATED_NOTE, memberPage } from "./pages";
import { cell, defaultOf, inputsOf, loadSchema, members, outputsOf, reachableTypes, typeAnchor, typeDef, typeTitle, type Member, type Schema } from "./schema";

export const DOCS_DIR = "docs";

interface PackageJson {
    readonly version: string;
    readonly engines?: { readonly node?: string };
    readonly dependencies?: Readonly<Record<string, string>>;
}

const firstSentence = (s: string | undefined) => cell((s ?? "").split(/(?<=\.)\s/)[0]);
const link = (m: Member) => `[${m.mod ? `${m.mod}.${m.name}` : m.name}](${m.file})`;

function indexPage(schema: Schema, all: readonly Member[], pkg: PackageJson): string {
    const row = (m: Member) => `| ${link(m)} | \`${m.token}\` | ${firstSentence(m.fn?.description ?? m.res?.description)} |`;
    const resources = all.filter((m) => m.kind === "resource");
    const functions = all.filter((m) => m.kind === "function");
    let out = `# ${schema.displayName ?? schema.name} (\`${schema.name}\`) reference\n\n${GENERATED_NOTE}\n\n${schema.description ?? ""}\n\n`;
    out += "| | |\n| --- | --- |\n";
    out += `| Version | ${pkg.version} |\n| License | ${schema.license ?? ""} |\n| Repository | ${schema.repository ?? ""} |\n`;
    out += `| TypeScript / JavaScript | npm \`${tsPackage(schema)}\` (and the plugin package \`pulumi-resource-${schema.name}\`) |\n| Python | \`${pyPackage(schema)}\` |\n| Go | \`${goPackage(schema, "").path}\` |\n| YAML | no SDK: the plugin only |\n\n`;
    out += "Start with [Installation](installation.md) and [Configuration](configuration.md).\n\n";
    out += "Names: TypeScript and YAML use the schema's camelCase names, Python snake_case, Go PascalCase; every page lists all three. Every function has a plain form and an Output form (`getInstancesOutput`, `get_instances_output`, `GetInstancesOutput`).\n\n";
    out += `## Resources\n\n| Resource | Token | Description |\n| --- | --- | --- |\n${resources.map(row).join("\n")}\n\n`;
    out += `## Functions\n\n| Function | Token | Description |\n| --- | --- | --- |\n${functions.map(row).join("\n")}\n\n`;
    const where = new Map<string, Member[]>();
    for (const m of all) for (const t of reachableTypes(schema, inputsOf(m), outputsOf(m))) where.set(t, [...(where.get(t) ?? []), m]);
    out += "## Types\n\nEach type is documented on every page that uses it.\n\n| Type | Token | Kind | Documented on |\n| --- | --- | --- | --- |\n";
    for (const token of Object.keys(schema.types ?? {}).sort()) {
        const on = (where.get(token) ?? []).map((m) => `[${m.mod ? `${m.mod}.${m.name}` : m.name}](${m.file}#${typeAnchor(token)})`).join(", ");
        out += `| ${typeTitle(token)} | \`${token}\` | ${typeDef(schema, token).enum ? "enum" : "object"} | ${on || "(not used)"} |\n`;
    }
    return out;
}

function installationPage(schema: Schema, pkg: PackageJson): string {
    const v = pkg.version;
    const pulumi = pkg.dependencies?.["@pulumi/pulumi"] ?? "";
    const goModule = goPackage(schema, "").path.replace(/\/[^/]+$/, "");
    const plugin = `pulumi-resource-${schema.name}`;
    return `# Installation\n\n${GENERATED_NOTE}\n\n` +
        `The \`${schema.name}\` package has two parts: the provider plugin \`${plugin}\` (a Node.js program the Pulumi engine starts; it needs \`node\`${pkg.engines?.node ? ` \`${pkg.engines.node}\`` : ""} on \`PATH\`) and an SDK per language. Nothing is published to npm, PyPI or a Go module proxy yet: everything below is built from a checkout of this repository (${schema.repository ?? ""}), after\n\n` +
        "```sh\nnpm ci      # installs the pinned dependencies and builds dist/ and sdk/nodejs/bin/\n```\n\n" +
        `Pulumi CLI: the engine this package is tested with is Pulumi v${pulumi}; \`npm run engine:install\` builds it into a cache folder and prints its bin folder (put that folder first on \`PATH\`). Offline use needs \`PULUMI_BACKEND_URL=file://…\` (or \`pulumi login --local\`), \`PULUMI_CONFIG_PASSPHRASE\`, \`PULUMI_SKIP_UPDATE_CHECK=true\`.\n\n` +
        "## TypeScript / JavaScript\n\n" +
        `\`npm run pack\` writes both npm packages to \`dist/npm/\`: \`${plugin}-${v}.tgz\` (the plugin) and \`${tsPackage(schema)}-${v}.tgz\` (the SDK, which depends on the plugin package by version). In the program's folder:\n\n` +
        `\`\`\`sh\nnpm install /path/to/dist/npm/${plugin}-${v}.tgz /path/to/dist/npm/${tsPackage(schema)}-${v}.tgz @pulumi/pulumi@${pulumi}\n\`\`\`\n\n` +
        `and tell the engine where the plugin is, in \`Pulumi.yaml\`:\n\n\`\`\`yaml\nplugins:\n  providers:\n    - name: ${schema.name}\n      path: ./node_modules/${plugin}\n\`\`\`\n\n` +
        "## The plugin for Python, Go and YAML programs\n\n" +
        `\`npm run plugin:pack\` writes \`dist/plugin/${plugin}-v${v}-<os>-<arch>.tar.gz\` (the plugin with its production dependencies; below for Linux x64); install it into Pulumi's plugin cache:\n\n` +
        `\`\`\`sh\npulumi plugin install resource ${schema.name} ${v} --file dist/plugin/${plugin}-v${v}-linux-amd64.tar.gz\n\`\`\`\n\n` +
        "(or point `plugins.providers[].path` in `Pulumi.yaml` at the checkout, as the TypeScript programs do).\n\n" +
        "## Python\n\n" +
        `Build a wheel from \`sdk/python\` and install it into the program's virtualenv (it needs PyPI's \`pulumi\`):\n\n` +
        `\`\`\`sh\npython3 -m pip wheel --no-deps sdk/python -w dist/python\nvenv/bin/pip install dist/python/${pyPackage(schema)}-${v}-py3-none-any.whl\n\`\`\`\n\n` +
        `\`\`\`python\nimport ${pyPackage(schema)} as ${schema.name}\n\`\`\`\n\n` +
        "## Go\n\n" +
        `The SDK is the module \`${goModule}\` in \`sdk/go\`. Until it is published, a program's \`go.mod\` requires it and replaces it with the checkout:\n\n` +
        `\`\`\`\nrequire ${goModule} v${v}\n\nreplace ${goModule} => /path/to/checkout/sdk/go\n\`\`\`\n\nthen \`go mod tidy\`.\n\n` +
        `\`\`\`go\nimport "${goPackage(schema, "").path}"\n\`\`\`\n\n` +
        "## YAML\n\nNo SDK: with the plugin installed (above), `fn::invoke` calls the functions and `type:` names the resources by their tokens.\n";
}

function configurationPage(schema: Schema): string {
    const vars = schema.config?.variables ?? {};
    let out = `# Configuration\n\n${GENERATED_NOTE}\n\n`;
    out += `The default provider reads the \`${schema.name}:\` keys of the stack configuration; an explicit [Provider](api/provider.md) takes the same keys as arguments. Values left unset fall back to the environment variables below; for Alibaba, when neither gives an AccessKey pair, to Alibaba Cloud's credential chain (profile file, OIDC, instance role). A lookup queries the clouds named in its \`clouds\` argument, or, left out, every cloud with credentials in configuration or the environment.\n\n`;
    out += `\`\`\`sh\npulumi config set ${schema.name}:aliyunRegion ap-southeast-1\npulumi config set --secret ${schema.name}:aliyunAccessKeySecret <secret>\n\`\`\`\n\n`;
    out += "Set the secret keys with `--secret`: Pulumi keeps them encrypted in the stack, and the provider never writes a secret value into output, errors, logs or state.\n\n";
    out += "| Key | Environment | Secret | Default | Description |\n| --- | --- | --- | --- | --- |\n";
    for (const [key, p] of Object.entries(vars)) {
        const spec = CONFIG_KEYS.find((k) => k.key === key);
        if (!spec) throw new Error(`docs: configuration key ${key} is not in CONFIG_KEYS (provider/lookup/settings.ts)`);
        out += `| ${[`\`${schema.name}:${key}\``, spec.env.map((e) => `\`${e}\``).join(", "), p.secret ? "secret" : "", defaultOf(p), spec.description].map(cell).join(" | ")} |\n`;
    }
    const cfg = moduleRef(schema, "config");
    const goCfg = goPackage(schema, "config");
    out += `\n## Reading the configuration in a program\n\nTypeScript \`${cfg.ts}.KEY\` · Python \`${cfg.py}.KEY\` · Go \`config.GetKEY(ctx)\` from \`import "${goCfg.path}"\`; TypeScript reads secret keys as secret Outputs, the Python and Go SDKs (Pulumi's generators) as plain strings.\n\n`;
    out += "| Key | TypeScript | Python | Go |\n| --- | --- | --- | --- |\n";
    for (const key of Object.keys(vars)) out += `| \`${key}\` | \`${cfg.ts}.${key}\` | \`${cfg.py}.${pyName(key)}\` | \`config.Get${goTitle(key)}(ctx)\` |\n`;
    return out;
}

/** Every file of docs/: path relative to docs/ → text. */
export function renderDocs(schema: Schema, pkg: PackageJson): Map<string, string> {
    typeUse(schema); // fails early on a dangling $ref
    const all = members(schema);
    const files = new Map<string, string>([
        ["README.md", indexPage(schema, all, pkg)],
        ["installation.md", installationPage(schema, pkg)],
        ["configuration.md", configurationPage(schema)],
    ]);
    for (const m of all) files.set(m.file, memberPage(schema, all, m));
    return files;
}

export function renderDocsFromRepo(root: string): Map<string, string> {
    return renderDocs(loadSchema(root), JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson);
}

/** The files now under docs/ (relative paths). */
export function existingDocs(root: string): string[] {
    const dir = path.join(root, DOCS_DIR);
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
}

if (require.main === module) {
    let root = __dirname;
    while (!fs.existsSync(path.join(root, "PulumiPlugin.yaml"))) {
        if (path.dirname(root) === root) throw new Error(`docs: no repository root (PulumiPlugin.yaml) above ${__dirname}`);
        root = path.dirname(root);
    }
    const files = renderDocsFromRepo(root);
    const stale = [...new Set([...files.keys(), ...existingDocs(root)])].sort().filter((rel) => {
        const file = path.join(root, DOCS_DIR, rel);
        return !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== files.get(rel);
    });
    if (process.argv.includes("--check")) {
        for (const rel of stale) console.error(`${DOCS_DIR}/${rel} is stale; run npm run sdk:gen`);
        process.exit(stale.length ? 1 : 0);
    }
    for (const rel of stale) {
        const file = path.join(root, DOCS_DIR, rel);
        const text = files.get(rel);
        if (text === undefined) fs.rmSync(file);
        else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
        }
    }
    console.error(`docs: ${files.size} pages, ${stale.length} written or removed`);
}
