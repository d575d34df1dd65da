#!/usr/bin/env node
/**
 * `npm pack` of both npm packages, as they would be published:
 *   pulumi-resource-cloudphone-<v>.tgz   the plugin package (repository root), without its development scripts
 *   pulumi-cloudphone-<v>.tgz            the Node SDK (sdk/nodejs), its `file:../..` dependency on the plugin package
 *                                        replaced by the plugin's version (npm pack would publish the file: path)
 *   node scripts/pack-npm.js [--out DIR]       (npm run pack; default DIR: dist/npm). Prints both paths.
 * Packs what is built: run `npm run build` first (npm ci does).
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const outArg = process.argv.indexOf("--out");
const outDir = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, "dist", "npm"));
fs.mkdirSync(outDir, { recursive: true });

function pack(dir) {
    const name = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--workspaces=false", "--pack-destination", outDir], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop();
    return path.join(outDir, name);
}

/** The plugin package without its development scripts (`prepare` builds from sources the package does not hold). */
function packPlugin() {
    const file = pack(root);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-pack-"));
    try {
        execFileSync("tar", ["-xzf", file, "-C", work]);
        const manifest = path.join(work, "package", "package.json");
        const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
        delete pkg.scripts;
        delete pkg.devDependencies;
        delete pkg.workspaces;
        fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
        execFileSync("tar", ["-czf", file, "-C", work, "package"]);
        return file;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

const plugin = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const sdkDir = path.join(root, "sdk", "nodejs");
const stage = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-sdk-"));
try {
    const sdk = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));
    if (!fs.existsSync(path.join(sdkDir, "bin", "index.js"))) throw new Error("sdk/nodejs/bin is not built: run npm run build");
    for (const f of sdk.files ?? []) fs.cpSync(path.join(sdkDir, f), path.join(stage, f), { recursive: true });
    sdk.dependencies = { ...sdk.dependencies, [plugin.name]: plugin.version };
    fs.writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(sdk, null, 2)}\n`);
    for (const dep of Object.values(sdk.dependencies)) if (String(dep).startsWith("file:")) throw new Error(`a file: dependency is left in the SDK: ${dep}`);
        delete sdk.scripts;
    fs.writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(sdk, null, 2)}\n`);
    process.stdout.write(`${packPlugin()}\n${pack(stage)}\n`);
} finally {
    fs.rmSync(stage, { recursive: true, force: true });
}
